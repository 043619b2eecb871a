from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from divert.api import api

admin.site.site_header = "divert administration"
admin.site.site_title = "divert"

urlpatterns = [
    # One login for everything, so the admin cannot bypass the second factor or the lockout.
    path("admin/login/", RedirectView.as_view(url="/login/?next=/admin/", query_string=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("field/", include("divert.field.urls")),
    path("", include("divert.web.urls")),
]
