from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, can, require, visible
from divert.field.models import Encounter, Referral


def decision_shown_to(user: Any, decision: dict) -> dict:
    """The decision as `user` may read it: without justice-record details for enforcement.

    A history rule's message names the offense and its date from imported records; officers
    never see justice records, so they learn that the rule fired and nothing more.
    """
    if can(user, Action.VIEW, Kind.JUSTICE_EVENT):
        return decision
    reasons = [
        {**r, "message": "disqualifying history under the site's policy; details are not shown"}
        if r["rule"].startswith("history.")
        else r
        for r in decision.get("reasons", [])
    ]
    return {**decision, "reasons": reasons}


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
