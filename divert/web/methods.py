"""Pages are read (GET, HEAD) or sent a form (POST); only the JSON API takes other methods."""

from django.http import HttpResponseNotAllowed

PAGE_METHODS = ("GET", "HEAD", "POST")


class PageMethodsMiddleware:
    """405 for PUT, PATCH, DELETE, TRACE and the rest outside /api/: a page view renders for any
    method it does not check, so an odd method would otherwise get the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in PAGE_METHODS and not request.path.startswith("/api/"):
            return HttpResponseNotAllowed(PAGE_METHODS)
        return self.get_response(request)
