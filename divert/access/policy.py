"""The access matrix: for each role, the actions allowed on each kind of record.

Anything not listed is refused. The rows follow LEAD's First Golden Rule: enforcement
(officers, prosecutors) never sees case notes, plans, contacts or health details, and learns
only what a signed release allows. Object-level limits (own jurisdiction, a partner's own
referrals, an in-force release) are applied in `enforce.py`.
"""

from divert.access.kinds import Action, Kind
from divert.staff.roles import Role

V, C, U, D, X = Action.VIEW, Action.CREATE, Action.CHANGE, Action.DELETE, Action.EXPORT

# Who runs a work group meeting: opens it, records items and action items, closes it.
_MEETING_RUNNER = {
    Kind.MEETING: {V, C, U},
    Kind.MEETING_ITEM: {V, C, U},
    Kind.ACTION_ITEM: {V, C, U},
}

_CASEWORK = {
    Kind.PERSON: {V, C, U},
    Kind.ENROLLMENT_STATUS: {V},
    Kind.ENCOUNTER: {V},
    Kind.SCREENING: {V},
    Kind.REFERRAL: {V, C, U},
    Kind.ENROLLMENT: {V, C, U, X},
    Kind.RELEASE: {V, C, U},
    Kind.PROGRESS: {V, C, U},
    Kind.PLAN: {V, C, U},
    Kind.CONTACT: {V, C, U},
    Kind.CASE_NOTE: {V, C, U},
    Kind.ASSESSMENT: {V, C, U},
    Kind.HEALTH: {V},  # written as part of an assessment (ASSESSMENT create)
    Kind.SERVICE_REFERRAL: {V, C, U},
    Kind.CHARGE_HOLD: {V},
    Kind.LEGAL_MATTER: {V},
    Kind.JUSTICE_EVENT: {V},
    Kind.TASK: {V, C, U},
    Kind.RECORD_ACCESS: {V},
    Kind.DIRECTORY: {V},
    Kind.SERVICE_CAPACITY: {V},
    Kind.FUND_BUDGET: {V},
    Kind.FUND_SPEND: {V, C},
    Kind.FUND_RULES: {V},
    # Case managers hand participants a survey, or enter one a participant filled on paper.
    Kind.SURVEY: {V},
    Kind.SURVEY_RESPONSE: {C},
    **_MEETING_RUNNER,
}

# Justice partners at the table: the meeting, legal items under a release, their own actions.
_MEETING_JUSTICE = {
    Kind.MEETING: {V},
    Kind.MEETING_ITEM: {V},
    Kind.ACTION_ITEM: {V, U},
}

MATRIX: dict[Role, dict[Kind, set[Action]]] = {
    # Officers learn whether a person is enrolled and whom to call, and record their own
    # encounters and referrals.
    Role.OFFICER: {
        Kind.ENROLLMENT_STATUS: {V},
        Kind.PERSON: {C},
        Kind.ENCOUNTER: {V, C},
        Kind.SCREENING: {V, C},
        Kind.REFERRAL: {C, U},
        # At a work group meeting: whom it discussed and whom to call, nothing said.
        Kind.MEETING: {V},
    },
    Role.CASE_MANAGER: _CASEWORK,
    Role.SUPERVISOR: {
        **_CASEWORK,
        Kind.STAFF: {V},
        Kind.AGGREGATE: {V, X},
        Kind.ASSIGNMENT: {V, U},
        Kind.FUND_SPEND: {V, C, U},  # approves spends over the site's amount
        Kind.WAITLIST: {V, C, U},
    },
    # Prosecutors see intake and deadline status, and progress and legal matters only under a
    # release; the liaison enters legal matters, and each side records its own position.
    Role.PROSECUTOR: {
        Kind.ENROLLMENT_STATUS: {V},
        Kind.CHARGE_HOLD: {V, U},
        Kind.PROGRESS: {V},
        Kind.LEGAL_MATTER: {V, C, U},
        **_MEETING_JUSTICE,
    },
    Role.DEFENDER: {
        Kind.ENROLLMENT_STATUS: {V},
        Kind.CHARGE_HOLD: {V},
        Kind.PROGRESS: {V},
        Kind.LEGAL_MATTER: {V, U},
        **_MEETING_JUSTICE,
    },
    # Program managers run the imports, clear their quarantine, run linkage and review
    # the links it is unsure of, and see who waits for a place (assigning is the supervisor's).
    # They set the flexible-fund budget and follow its spending (by enrollment number, not
    # name) for the funder.
    Role.PROGRAM_MANAGER: {
        Kind.FUND_BUDGET: {V, C, U},
        Kind.FUND_SPEND: {V, X},
        Kind.FUND_RULES: {V, U},  # the amount over which a spend waits for a supervisor
        Kind.AGGREGATE: {V, X},
        Kind.STAFF: {V},
        Kind.WAITLIST: {V},
        Kind.IMPORT_RUN: {V, C},
        Kind.QUARANTINE: {V, U},
        Kind.DIRECTORY: {V, C, X},
        Kind.SERVICE_CAPACITY: {V, U},
        Kind.LINK: {V, C, U},
        # They open the police-legitimacy surveys and read their results (aggregates).
        Kind.SURVEY: {V, C, U},
        Kind.SURVEY_RESPONSE: {C},  # paper forms, entered
        **_MEETING_RUNNER,
    },
    Role.EVALUATOR: {
        Kind.AGGREGATE: {V, X},
        Kind.DEIDENTIFIED: {V, X},
    },
    # Administrators run the system but read no one's case.
    Role.ADMINISTRATOR: {
        Kind.CONFIGURATION: {V, C, U, D},
        Kind.STAFF: {V, C, U, D},
        Kind.AUDIT_LOG: {V, X},
        Kind.FUND_RULES: {V, C, U},
        Kind.RECORD_ACCESS: {V},
        Kind.AGGREGATE: {V},
        Kind.IMPORT_RUN: {V, C},
        Kind.DIRECTORY: {V, C, X},
        Kind.LINK: {V, C, U},
    },
    # Partners see only the referrals they made, and the service referrals made to their
    # organization (what a release allows of each, divert.casework.service_referrals).
    Role.PARTNER: {
        Kind.REFERRAL: {V, C},
        Kind.PERSON: {C},
        Kind.SERVICE_REFERRAL: {V, U},
        Kind.SERVICE_CAPACITY: {V, U},  # of their own organization's services only
    },
}
