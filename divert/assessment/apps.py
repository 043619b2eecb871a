from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "divert.assessment"
    verbose_name = "Assessment"
