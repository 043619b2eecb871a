from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import include, path, re_path

from divert import health, metrics
from divert.access import Action, Kind, can
from divert.api import api
from divert.surveys import pages as survey_pages

admin.site.site_header = "divert administration"
admin.site.site_title = "divert"


def _admin_allowed(request) -> bool:
    # The admin is configuration: the access policy decides, not Django's staff flag alone.
    # A superuser is the platform's own administrator; with no roles it still reads no case.
    user = request.user
    return (
        user.is_active
        and user.is_staff
        and (user.is_superuser or can(user, Action.CHANGE, Kind.CONFIGURATION))
    )


def _admin_login(request):
    # One login page for everything; someone already logged in without admin rights is
    # refused rather than sent round the login page again.
    if request.user.is_authenticated:
        raise PermissionDenied("the administration site is for administrators")
    return redirect("/login/?" + urlencode({"next": request.GET.get("next", "/admin/")}))


admin.site.has_permission = _admin_allowed

urlpatterns = [
    # One login for everything, so the admin cannot bypass the second factor or the lockout.
    path("admin/login/", _admin_login),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("", include("divert.casework.urls")),  # workgroup/ and alerts/
    path("field/", include("divert.field.urls")),
    path("charges/", include("divert.charges.urls")),
    path("", include("divert.funds.urls")),
    path("imports/", include("divert.records.urls")),
    path("links/", include("divert.linkage.urls")),
    path("casework/", include("divert.assessment.urls")),
    path("directory/", include("divert.directory.urls")),
    path("meetings/", include("divert.meetings.urls")),
    path("surveys/", include("divert.surveys.urls")),
    re_path(
        r"^s/(?P<token>[A-Za-z0-9_-]{1,40})/$", survey_pages.survey_answer, name="survey-answer"
    ),
    path("", include("divert.web.urls")),
]

# A request that lost its database answers 503 (try again), not 500.
handler500 = "divert.health.server_error"
