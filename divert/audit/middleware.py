from divert.audit.context import acting

PURPOSE_HEADER = "HTTP_X_PURPOSE"


def _component(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "page"


class AuditContextMiddleware:
    """Makes the requesting user, address and stated purpose available to the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        purpose = request.headers.get("X-Purpose") or request.GET.get("purpose", "")
        with acting(
            user=request.user,
            origin=request.META.get("REMOTE_ADDR", ""),
            component=_component(request.path),
            purpose=purpose[:200],
        ):
            return self.get_response(request)
