from django.conf import settings

from divert.audit.context import acting

PURPOSE_HEADER = "HTTP_X_PURPOSE"


def _component(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "page"


def client_address(request) -> str:
    """The client's address; behind our own proxy, the one it saw (last X-Forwarded-For hop)."""
    if settings.DIVERT_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:100]
    return request.META.get("REMOTE_ADDR", "")


class AuditContextMiddleware:
    """Makes the requesting user, address and stated purpose available to the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        purpose = request.headers.get("X-Purpose") or request.GET.get("purpose", "")
        with acting(
            user=request.user,
            origin=client_address(request),
            component=_component(request.path),
            purpose=purpose[:200],
        ):
            return self.get_response(request)
