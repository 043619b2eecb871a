"""Program-level aggregates: counts with no person in them."""

import datetime
from typing import Any

from django.db.models import Count, Q

from divert.access import Action, Kind, require
from divert.casework import lifecycle
from divert.casework.models import Enrollment
from divert.field.models import Referral
from divert.jurisdictions.clock import day_start, site_today


def program_summary(*, user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """Caseloads against the caps, enrollments by status, and the last 90 days of referrals."""
    require(user, Action.VIEW, Kind.AGGREGATE)
    today = today or site_today(user.jurisdiction)
    jurisdiction = user.jurisdiction
    enrollments = Enrollment.objects.filter(jurisdiction=jurisdiction)
    by_status = dict(
        enrollments.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    caseloads = (
        enrollments.filter(status__in=lifecycle.OPEN_STATUSES, case_manager__isnull=False)
        .values("case_manager__first_name", "case_manager__last_name")
        .annotate(open=Count("id"))
        .order_by("-open")
    )
    since = today - datetime.timedelta(days=90)
    referrals = Referral.objects.filter(
        jurisdiction=jurisdiction, referred_at__gte=day_start(jurisdiction, since)
    )
    by_pathway = referrals.values("pathway").annotate(
        n=Count("id"), refused=Count("id", filter=Q(capacity_refused=True))
    )
    return {
        "caseload_target": jurisdiction.caseload_target,
        "caseload_cap": jurisdiction.caseload_cap,
        "caseloads": [
            {
                "case_manager": f"{c['case_manager__first_name']} {c['case_manager__last_name']}",
                "open": c["open"],
            }
            for c in caseloads
        ],
        "enrollments_by_status": {s: by_status.get(s, 0) for s in lifecycle.STATUSES},
        "referrals_90_days": {
            r["pathway"]: {"referrals": r["n"], "capacity_refused": r["refused"]}
            for r in by_pathway
        },
    }
