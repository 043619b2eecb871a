"""A directory service's availability: open places, whether it takes new clients, its waitlist.

Not part of HSDS: the provider says it, and it changes from day to day. The provider's own
partner staff and the site's program manager keep it current (access kind `service_capacity`);
each change is one audit entry holding the values before and after.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from divert.access import Action, Kind, require, visible
from divert.audit.services import audit_record
from divert.directory.models import Service

FIELDS = ("capacity", "accepting_new", "waitlist")
MOST = {"capacity": 10_000, "waitlist": 100_000}  # more is a typo, not a shelter


def _count(value: Any, field: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # not known
    if isinstance(value, bool):
        raise ValidationError({field: "Give a whole number, or leave it empty if not known."})
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(
            {field: "Give a whole number, or leave it empty if not known."}
        ) from None
    if number < 0:
        raise ValidationError({field: "This cannot be negative."})
    if number > MOST[field]:
        raise ValidationError({field: f"This can be at most {MOST[field]}."})
    return number


def _yes_no(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    raise ValidationError({"accepting_new": "Answer yes, no, or leave it empty if not known."})


def service_capacity_list(*, user: Any) -> QuerySet[Service]:
    """The services whose availability `user` may change: a partner's own, or the site's."""
    require(user, Action.CHANGE, Kind.SERVICE_CAPACITY)
    return (
        visible(user, Kind.SERVICE_CAPACITY, Service.objects.all())
        .exclude(status__in=["inactive", "defunct"])
        .select_related("organization", "capacity_updated_by")
        .order_by("name", "pk")
    )


def service_capacity_get(*, user: Any, service_id: int) -> Service:
    service = get_object_or_404(
        visible(user, Kind.SERVICE_CAPACITY, Service.objects), pk=service_id
    )
    require(user, Action.CHANGE, Kind.SERVICE_CAPACITY, service)
    return service


@transaction.atomic
def service_capacity_set(
    *, user: Any, service: Service, capacity: Any, accepting_new: Any, waitlist: Any
) -> Service:
    """Set what the provider says of the service now; each field may be left unknown (None).

    A negative, absurd or non-number count is refused naming its field. The same values
    again change nothing and write no entry, so a double submit is one change.
    """
    require(user, Action.CHANGE, Kind.SERVICE_CAPACITY, service)
    wanted = {
        "capacity": _count(capacity, "capacity"),
        "accepting_new": _yes_no(accepting_new),
        "waitlist": _count(waitlist, "waitlist"),
    }
    service = Service.objects.select_for_update().get(pk=service.pk)
    before = {name: getattr(service, name) for name in FIELDS}
    if before == wanted:
        return service
    for name, value in wanted.items():
        setattr(service, name, value)
    service.capacity_updated_at = timezone.now()
    service.capacity_updated_by = user
    service.save(update_fields=[*FIELDS, "capacity_updated_at", "capacity_updated_by", "updated"])
    audit_record(
        action=Action.CHANGE.value,
        kind=Kind.SERVICE_CAPACITY.value,
        object_id=service.pk,
        jurisdiction_id=service.jurisdiction_id,
        outcome="success",
        user=user,
        detail={"before": before, "after": wanted},
    )
    return service
