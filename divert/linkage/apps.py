from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "divert.linkage"
    verbose_name = "Identity resolution"
