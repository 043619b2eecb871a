from django.apps import AppConfig


class JurisdictionsConfig(AppConfig):
    name = "divert.jurisdictions"
    verbose_name = "Jurisdictions and organizations"
