from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from divert.access import Action, Kind, can
from divert.api import api

admin.site.site_header = "divert administration"
admin.site.site_title = "divert"


def _admin_allowed(request) -> bool:
    # The admin is configuration: the one access policy decides, not Django's staff flag alone.
    user = request.user
    return user.is_active and user.is_staff and can(user, Action.CHANGE, Kind.CONFIGURATION)


admin.site.has_permission = _admin_allowed

urlpatterns = [
    # One login for everything, so the admin cannot bypass the second factor or the lockout.
    path("admin/login/", RedirectView.as_view(url="/login/?next=/admin/", query_string=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("divert.casework.urls")),  # workgroup/ and alerts/
    path("field/", include("divert.field.urls")),
    path("", include("divert.web.urls")),
]
