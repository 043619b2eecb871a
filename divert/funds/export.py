"""The funder's CSV: every spend with its category, vendor, approval and participant number.

Audited as one export; every cell defused against CSV injection (divert.casework.csvsafe).
"""

import csv
import io
from typing import Any

from divert.access import Action, Kind, require, visible
from divert.casework.csvsafe import safe_cell
from divert.funds.models import FundSpend

COLUMNS = [
    "spend_id",
    "spent_on",
    "month",
    "participant",
    "category",
    "budget_period",
    "amount",
    "vendor",
    "purpose",
    "status",
    "approved_by",
    "receipt",
]


def fund_spends_csv(*, user: Any) -> str:
    require(user, Action.EXPORT, Kind.FUND_SPEND)
    spends = visible(user, Kind.FUND_SPEND, FundSpend.objects.all()).select_related(
        "budget", "approved_by"
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for s in spends.order_by("spent_on", "pk").iterator():
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    s.pk,
                    s.spent_on.isoformat(),
                    s.spent_on.strftime("%Y-%m"),
                    f"E{s.enrollment_id}",
                    s.budget.category,
                    f"{s.budget.starts_on.isoformat()}/{s.budget.ends_on.isoformat()}",
                    s.amount,
                    s.vendor,
                    s.purpose,
                    s.status,
                    s.approved_by.username if s.approved_by else "",
                    "yes" if s.receipt_type else "no",
                )
            ]
        )
    return out.getvalue()
