from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "divert.funds"
    verbose_name = "Flexible funds"
