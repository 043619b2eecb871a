from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "divert.people"
    verbose_name = "People"
