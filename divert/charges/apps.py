from django.apps import AppConfig


class ChargesConfig(AppConfig):
    name = "divert.charges"
    verbose_name = "Charge holds"
