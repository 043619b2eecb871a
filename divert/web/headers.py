"""Response headers that keep personal data out of caches."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and its older spellings) on every page and API response.

    Nearly every response names a person or a caseload, and a shared computer's browser cache
    or a proxy must keep none of them. Static files (served before this) are cached as usual.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            add_never_cache_headers(response)
        return response
