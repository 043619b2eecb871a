from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "divert.casework"
    verbose_name = "Case work"
