from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "divert.surveys"
    verbose_name = "Surveys"
