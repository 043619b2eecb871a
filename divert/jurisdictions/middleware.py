from django.utils import timezone

from divert.jurisdictions.clock import site_zone


class SiteTimezoneMiddleware:
    """Pages show times in the signed-in user's site zone, whatever the server's zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.organization_id:
            timezone.activate(site_zone(user.jurisdiction))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
