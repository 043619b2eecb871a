from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "divert.web"
    verbose_name = "Web pages"
