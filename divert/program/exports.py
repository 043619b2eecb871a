"""De-identified extracts for evaluators: no names, no dates of birth, stable pseudonyms."""

import csv
import hashlib
import hmac
import io
from typing import Any

from django.conf import settings

from divert.access import Action, Kind, require
from divert.casework.models import Enrollment

COLUMNS = [
    "pseudonym",
    "age_band",
    "race",
    "ethnicity",
    "sex",
    "pathway",
    "status",
    "referred_month",
    "days_to_intake",
    "exit_reason",
]


def pseudonym(person_id: int) -> str:
    # Keyed, so the pseudonym cannot be reversed by hashing candidate ids.
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"person:{person_id}".encode(), hashlib.sha256).hexdigest()[:16]


# Bands wide enough that a birth date cannot be recovered from them.
_AGE_BANDS = (
    (18, "under 18"),
    (25, "18-24"),
    (35, "25-34"),
    (45, "35-44"),
    (55, "45-54"),
    (65, "55-64"),
)


def _age_band(enrollment: Enrollment) -> str:
    dob = enrollment.person.date_of_birth
    if dob is None:
        return "unknown"
    on = enrollment.referred_on
    age = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
    return next((label for below, label in _AGE_BANDS if age < below), "65+")


def deidentified_enrollments_csv(*, user: Any) -> str:
    require(user, Action.EXPORT, Kind.DEIDENTIFIED)
    rows = Enrollment.objects.filter(jurisdiction_id=user.jurisdiction_id).select_related(
        "person", "referral"
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for e in rows.order_by("id").iterator(chunk_size=1000):
        writer.writerow(
            [
                pseudonym(e.person_id),
                _age_band(e),
                e.person.race,
                e.person.ethnicity,
                e.person.sex,
                e.referral.pathway if e.referral_id else "",
                e.status,
                e.referred_on.strftime("%Y-%m"),
                (e.intake_completed_on - e.referred_on).days if e.intake_completed_on else "",
                e.exit_reason,
            ]
        )
    return out.getvalue()
