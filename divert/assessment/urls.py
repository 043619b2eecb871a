from django.urls import path

from divert.assessment import views

urlpatterns = [
    path("enrollments/<int:enrollment_id>/assessments/", views.assessments, name="assessments"),
    path(
        "enrollments/<int:enrollment_id>/assessments/new/",
        views.assessment_new,
        name="assessment-new",
    ),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment"),
]
