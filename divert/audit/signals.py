"""Feed the audit trail from history records and authentication events."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db.models.signals import post_delete
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from divert.access.kinds import kind_of_model
from divert.access.tenancy import jurisdiction_of
from divert.audit.services import audit_record

_HISTORY_ACTIONS = {"+": "create", "~": "change", "-": "delete"}


def _site(instance) -> int | None:
    try:
        return jurisdiction_of(instance)
    except (ImproperlyConfigured, ObjectDoesNotExist):
        return None


@receiver(post_create_historical_record)
def record_change(sender, instance, history_instance, **kwargs) -> None:
    audit_record(
        action=_HISTORY_ACTIONS[history_instance.history_type],
        kind=kind_of_model(type(instance)),
        object_id=instance.pk,
        jurisdiction_id=_site(instance),
        outcome="success",
        user=history_instance.history_user,
        detail={"history_id": history_instance.history_id},
    )


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs) -> None:
    audit_record(action="login", kind="session", outcome="success", user=user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(action="logout", kind="session", outcome="success", user=user)


@receiver(user_login_failed)
def record_login_failure(sender, credentials, request=None, **kwargs) -> None:
    audit_record(
        action="login",
        kind="session",
        outcome="failure",
        detail={"username": str(credentials.get("username", ""))[:150]},
    )


@receiver(post_delete, sender="staff.ApiToken")
def record_token_deleted(sender, instance, **kwargs) -> None:
    audit_record(
        action="delete",
        kind="api_token",
        object_id=instance.pk,
        jurisdiction_id=_site(instance),
        outcome="success",
        detail={"user_id": instance.user_id, "name": instance.name[:100]},
    )


def record_mfa_failure(user, *, step: str, reason: str) -> None:
    """A one-time code that was wrong, missing or refused (too many recent failures)."""
    audit_record(
        action="mfa_code",
        kind="session",
        outcome="failure",
        user=user,
        detail={"step": step, "reason": reason},
    )
