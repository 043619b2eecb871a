from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "divert.field"
    verbose_name = "Field: encounters and referrals"
