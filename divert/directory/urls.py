from django.urls import path

from divert.directory import pages

urlpatterns = [
    path("", pages.directory, name="directory"),
    path("services/<int:service_id>/", pages.service, name="directory-service"),
]
