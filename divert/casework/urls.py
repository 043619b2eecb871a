from django.urls import path

from divert.casework import views
from divert.casework.pages import caseload, status

# Included at the site root: divert.web.urls already serves casework/ and casework/enrollments/.
urlpatterns = [
    path("workgroup/", views.workgroup, name="workgroup-agenda"),
    path("alerts/", views.alerts, name="casework-alerts"),
    path(
        "casework/enrollments/<int:enrollment_id>/intake/",
        status.intake,
        name="enrollment-intake",
    ),
    path(
        "casework/enrollments/<int:enrollment_id>/status/",
        status.status_page,
        name="enrollment-status",
    ),
    path("casework/", caseload.caseload, name="caseload"),
    path("casework/caseload.csv", caseload.caseload_csv, name="caseload-csv"),
]
