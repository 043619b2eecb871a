from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "divert.staff"
    verbose_name = "Staff and roles"
