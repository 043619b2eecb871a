from django.urls import path

from divert.surveys import pages

# Included under surveys/; the public answer page is served at s/<token>/.
urlpatterns = [
    path("", pages.survey_list, name="surveys"),
    path("<int:survey_id>/", pages.survey_detail, name="survey"),
    path("<int:survey_id>/close/", pages.survey_close, name="survey-close"),
    path("<int:survey_id>/enter/", pages.survey_enter, name="survey-enter"),
]
