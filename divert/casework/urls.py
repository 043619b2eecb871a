from django.urls import path

from divert.casework import views

# Included at the site root: divert.web.urls already serves casework/ and casework/enrollments/.
urlpatterns = [
    path("workgroup/", views.workgroup, name="workgroup-agenda"),
    path("alerts/", views.alerts, name="casework-alerts"),
]
