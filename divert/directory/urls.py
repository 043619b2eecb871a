from django.urls import path

from divert.directory import pages

urlpatterns = [
    path("", pages.directory, name="directory"),
    path("services/<int:service_id>/", pages.service, name="directory-service"),
    path("capacity/", pages.capacity, name="directory-capacity"),
    path("services/<int:service_id>/capacity/", pages.capacity_set, name="directory-capacity-set"),
]
