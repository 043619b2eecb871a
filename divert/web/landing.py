"""What each role sees first: the links a person holding it needs most."""

from django.urls import reverse

from divert.access import Action, Kind, can
from divert.staff.roles import Role

_SECTIONS = {
    Role.OFFICER: (
        "Field",
        [
            ("Look up and screen a person", "officer-lookup"),
            ("Add a person", "field-person-add"),
            ("Work group meetings", "meetings"),
        ],
    ),
    Role.CASE_MANAGER: (
        "Case management",
        [
            ("My caseload", "caseload"),
            ("Alerts", "casework-alerts"),
            ("Workgroup agenda", "workgroup-agenda"),
            ("Work group meetings", "meetings"),
        ],
    ),
    Role.SUPERVISOR: (
        "Supervision",
        [
            ("All participants", "caseload"),
            ("Alerts", "casework-alerts"),
            ("Workgroup agenda", "workgroup-agenda"),
            ("Work group meetings", "meetings"),
            ("Capacity and refusals", "capacity-refusals"),
            ("Flexible funds", "funds"),
            ("Program summary", "program-summary"),
            ("Scorecard and missed diversions", "program-scorecard"),
        ],
    ),
    Role.PROSECUTOR: (
        "Prosecutor liaison",
        [
            ("Charge holds by due date", "charge-holds"),
            ("Work group meetings", "meetings"),
            ("My action items", "meeting-actions"),
        ],
    ),
    Role.DEFENDER: (
        "Defender liaison",
        [
            ("Charge holds by due date", "charge-holds"),
            ("Work group meetings", "meetings"),
            ("My action items", "meeting-actions"),
        ],
    ),
    Role.PROGRAM_MANAGER: (
        "Program",
        [
            ("Program summary", "program-summary"),
            ("Scorecard", "program-scorecard"),
            ("Surveys", "surveys"),
            ("Capacity", "capacity-refusals"),
            ("Imports and quarantine", "imports"),
            ("Link review", "link-review"),
            ("Merge review", "merge-review"),
            ("Justice record review", "justice-review"),
            ("Flexible funds", "funds"),
            ("Work group meetings", "meetings"),
            ("My action items", "meeting-actions"),
        ],
    ),
    Role.EVALUATOR: (
        "Evaluation",
        [
            ("Program summary", "program-summary"),
            ("Scorecard", "program-scorecard"),
            ("De-identified enrollments (CSV)", "/api/v1/program/exports/enrollments.csv"),
        ],
    ),
    Role.ADMINISTRATOR: (
        "Administration",
        [
            ("Audit trail", "audit-log"),
            ("Imports", "imports"),
            ("Link review", "link-review"),
            ("Merge review", "merge-review"),
            ("Justice record review", "justice-review"),
            ("Flexible-fund approval amount", "fund-rules"),
        ],
    ),
    Role.PARTNER: (
        "Community partner",
        [
            ("Refer someone", "community-referral"),
            ("My referrals", "partner-referrals"),
            ("Places and waitlist", "directory-capacity"),
        ],
    ),
}


def _url(name: str) -> str:
    return name if name.startswith("/") else reverse(name)


def sections_for(user) -> list[dict]:
    sections = []
    for role in Role:
        if role in user.role_set():
            title, links = _SECTIONS[role]
            sections.append(
                {
                    "role": role.value,
                    "title": title,
                    "links": [{"label": label, "url": _url(name)} for label, name in links],
                }
            )
    if user.is_staff and (user.is_superuser or can(user, Action.CHANGE, Kind.CONFIGURATION)):
        sections.append(
            {
                "role": "admin",
                "title": "Configuration",
                "links": [{"label": "Admin", "url": "/admin/"}],
            }
        )
    return sections
