from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, require, visible
from divert.field.models import Encounter, Referral


def encounter_list(*, user: Any) -> QuerySet[Encounter]:
    require(user, Action.VIEW, Kind.ENCOUNTER)  # a list is a read too: audited
    return visible(user, Kind.ENCOUNTER, Encounter.objects.prefetch_related("offenses"))


def referral_list(*, user: Any) -> QuerySet[Referral]:
    require(user, Action.VIEW, Kind.REFERRAL)  # a list is a read too: audited
    return visible(user, Kind.REFERRAL, Referral.objects.all())


def referral_get(*, user: Any, referral_id: int) -> Referral:
    referral = get_object_or_404(Referral, pk=referral_id)
    require(user, Action.VIEW, Kind.REFERRAL, referral)
    return referral
