from django.conf import settings

# The trail's services are imported where used: settings (logging, lockout) import
# `client_address` from here before Django's models can be loaded.

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


def _record_unexplained_refusal(request) -> None:
    """A 403 that no access check recorded (CSRF, the admin's own checks, a service's rule)."""
    from divert.audit.services import audit_record

    audit_record(
        action="request",
        kind="request",
        outcome="denied",
        detail={"method": request.method[:10], "path": request.path[:200]},
    )


def _record_refused_token(request) -> None:
    from divert.audit.services import audit_record

    audit_record(
        action="login",
        kind="session",
        outcome="failure",
        detail={"method": "bearer token", "path": request.path[:200]},
    )


class AuditContextMiddleware:
    """Makes the requesting user, address and stated purpose available to the audit trail.

    It also makes sure every refusal is on record: refusals written inside a transaction that
    was then rolled back are written again, and a 403 that nothing recorded is recorded here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from divert.audit.services import audit_scope

        purpose = request.headers.get("X-Purpose") or request.GET.get("purpose", "")
        with audit_scope(
            user=request.user,
            origin=client_address(request),
            component=_component(request.path),
            purpose=purpose[:200],
        ) as scope:
            response = self.get_response(request)
            if response.status_code == 403 and not scope.refused:
                _record_unexplained_refusal(request)
            elif response.status_code == 401 and "HTTP_AUTHORIZATION" in request.META:
                _record_refused_token(request)
        return response
