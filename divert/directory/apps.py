from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "divert.directory"
    verbose_name = "Services directory"
