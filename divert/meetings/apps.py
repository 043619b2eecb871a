from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "divert.meetings"
    verbose_name = "Work group meetings"
