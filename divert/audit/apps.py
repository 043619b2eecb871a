from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "divert.audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from divert.audit import signals  # noqa: F401  (connects receivers)
