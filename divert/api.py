"""The JSON API under /api/v1, with its OpenAPI document at /api/v1/openapi.json."""

import datetime

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import HttpBearer, django_auth

from divert.audit.context import set_user
from divert.casework.corrections import Conflict
from divert.errors import field_errors, schema_errors
from divert.field.policies import NoPolicy
from divert.linkage.labels import AlreadyDecided


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        from django.utils import timezone

        from divert.staff.bearer import token_user
        from divert.staff.models import ApiToken

        now = timezone.now()
        hit = token_user(ApiToken.hash(token), now)
        if hit is None:
            return None
        found, user = hit
        # Record use at most every few minutes: a write per request would throttle the API.
        if found.last_used is None or now - found.last_used > datetime.timedelta(minutes=5):
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        user.api_token = found  # the access policy holds the request to the token's scope
        request.user = user
        # Reads through a token are the token's: the trail names it beside the account.
        set_user(user, component=f"token:{found.pk}")
        return user


class StaffSwagger(Swagger):
    """Swagger UI, from the files django-ninja ships (served locally), for logged-in staff only."""

    def render_page(self, request, api, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().render_page(request, api, **kwargs)


api = NinjaAPI(
    title="divert API",
    version="1",
    description=(
        "JSON API for LEAD programs. Authenticate with a session cookie (and CSRF token) or "
        "`Authorization: Bearer <token>`. Every request is checked against the one access "
        "policy and person-level reads are audited; send `X-Purpose` to state why."
    ),
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    docs=StaffSwagger(),
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "not found"}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(request, {"detail": field_errors(exc)}, status=422)


@api.exception_handler(SchemaValidationError)
def _invalid_schema(request, exc):
    return api.create_response(request, {"detail": schema_errors(exc.errors)}, status=422)


@api.exception_handler(Conflict)
def _conflict(request, exc):
    return api.create_response(request, {"detail": exc.detail()}, status=409)


@api.exception_handler(AlreadyDecided)
def _already_decided(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(NoPolicy)
def _no_policy(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


def _routers() -> None:
    from divert.assessment.api import router as assessment
    from divert.casework.api import router as casework
    from divert.casework.api_inbox import router as casework_inbox
    from divert.casework.api_profile import router as casework_profile
    from divert.casework.api_releases import router as casework_releases
    from divert.casework.api_service_referrals import router as service_referrals
    from divert.casework.api_status import router as casework_status
    from divert.casework.api_tasks import router as casework_tasks
    from divert.casework.api_team import router as casework_team
    from divert.casework.api_waitlist import router as casework_waitlist
    from divert.charges.api import router as charges
    from divert.directory.api import router as directory
    from divert.field.api import router as field
    from divert.field.screening_api import router as screening
    from divert.funds.api import router as funds
    from divert.linkage.api import router as linkage
    from divert.meetings.api import router as meetings
    from divert.people.api import router as people
    from divert.program.api import router as program
    from divert.records.api import router as records
    from divert.staff.api import router as staff
    from divert.surveys.api import router as surveys

    api.add_router("/", staff)
    api.add_router("/people", people)
    api.add_router("/", screening)
    api.add_router("/field", field)
    api.add_router("/casework", casework)
    api.add_router("/casework", casework_status)
    api.add_router("/casework", casework_tasks)
    api.add_router("/casework", casework_inbox)
    api.add_router("/casework", casework_team)
    api.add_router("/casework", casework_waitlist)
    api.add_router("/casework", casework_profile)
    api.add_router("/casework", casework_releases)
    api.add_router("/casework", assessment)
    api.add_router("/charges", charges)
    api.add_router("/funds", funds)
    api.add_router("/records", records)
    api.add_router("/linkage", linkage)
    api.add_router("/program", program)
    api.add_router("/directory", directory)
    api.add_router("/service-referrals", service_referrals)
    api.add_router("/meetings", meetings)
    api.add_router("/surveys", surveys)


_routers()
__all__ = ["api"]
