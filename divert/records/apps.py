from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "divert.records"
    verbose_name = "Justice records"
