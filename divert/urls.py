from django.contrib import admin
from django.urls import include, path

from divert.api import api

admin.site.site_header = "divert administration"
admin.site.site_title = "divert"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("divert.web.urls")),
]
