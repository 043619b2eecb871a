"""Justice persons from an import: the person fields of arrest and booking rows.

A source's rows name their person by `source_person_id`; where the mapping also maps the
person's name, date of birth, sex or race, those fill the source's justice person record
(divert.linkage.models.JusticePerson, keyed by site, source system and source person id),
which record linkage then ties to a program person. Several rows of one person: the latest
(by date, then row) gives each field it fills. An empty cell never erases what is stored.
Call inside the batch's transaction: people and records are written together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from divert.records import fields as F

_CHUNK = 5_000


@dataclass
class PersonCounts:
    new: int = 0
    updated: int = 0


def store_persons(
    batch: pd.DataFrame,
    *,
    jurisdiction_id: int,
    source_system: str,
    run_id: int | None,
    user_id: int | None,
) -> PersonCounts:
    """Create or correct the justice persons the batch's rows describe."""
    from divert.linkage.models import JusticePerson

    present = [f for f in F.PERSON if f in batch and batch[f].notna().any()]
    if not present:
        return PersonCounts()
    rows = batch.loc[
        batch[present].notna().any(axis=1), ["source_person_id", "occurred_on", "row", *present]
    ]
    rows = rows.sort_values(["occurred_on", "row"], kind="stable")
    latest = rows.groupby("source_person_id", sort=False)[present].last()  # last non-empty
    wanted = {str(pid): _values(values) for pid, values in latest.iterrows()}
    stored: dict[str, JusticePerson] = {}
    ids = sorted(wanted)
    for start in range(0, len(ids), _CHUNK):
        for person in JusticePerson.objects.filter(
            jurisdiction_id=jurisdiction_id,
            source_system=source_system,
            source_person_id__in=ids[start : start + _CHUNK],
        ):
            stored[person.source_person_id] = person
    new, changed, touched = [], [], set()
    for pid, values in wanted.items():
        person = stored.get(pid)
        if person is None:
            new.append(
                JusticePerson(
                    jurisdiction_id=jurisdiction_id,
                    source_system=source_system,
                    source_person_id=pid,
                    **values,
                )
            )
            continue
        diff = {k: v for k, v in values.items() if getattr(person, k) != v}
        if diff:
            for k, v in diff.items():
                setattr(person, k, v)
            touched |= set(diff)
            changed.append(person)
    reason = f"import run {run_id}" if run_id else "import"
    user = _user(user_id)
    if new:
        bulk_create_with_history(
            new, JusticePerson, batch_size=2000, default_user=user, default_change_reason=reason
        )
    if changed:
        bulk_update_with_history(
            changed,
            JusticePerson,
            sorted(touched),
            batch_size=2000,
            default_user=user,
            default_change_reason=reason,
        )
    return PersonCounts(new=len(new), updated=len(changed))


def _values(row: pd.Series) -> dict:
    out = {}
    for field, value in row.items():
        if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
            continue
        if field == "date_of_birth":
            out["date_of_birth"] = pd.Timestamp(value).date()
            out["dob_precision"] = "day"
        else:
            out[field] = str(value)[: 100 if field.endswith("_name") else 40]
    return out


def _user(user_id: int | None):
    if user_id is None:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first()
