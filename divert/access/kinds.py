"""The kinds of record the access policy speaks of, and the actions on them."""

from enum import StrEnum


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    EXPORT = "export"


class Kind(StrEnum):
    CONFIGURATION = "configuration"  # jurisdictions, areas, organizations, statute maps
    STAFF = "staff"  # user accounts and roles
    AUDIT_LOG = "audit_log"
    PERSON = "person"  # identity: names, aliases, date of birth, identifiers
    ENROLLMENT_STATUS = "enrollment_status"  # enrolled or not, and whom to call
    ENCOUNTER = "encounter"
    SCREENING = "screening"  # an eligibility decision and the case it was made on
    REFERRAL = "referral"
    ENROLLMENT = "enrollment"  # status history, dates, exit reasons
    RELEASE = "release"  # release of information (consent)
    PROGRESS = "progress"  # general progress and barriers, as a release allows
    PLAN = "plan"  # intervention plan and goals
    CONTACT = "contact"
    CASE_NOTE = "case_note"  # free text, including health and substance use
    ASSESSMENT = "assessment"  # assessment answers that are not health information
    HEALTH = "health"  # answers an instrument marks as health information (substance use too)
    SERVICE_REFERRAL = "service_referral"
    DIRECTORY = "directory"  # the services directory (HSDS): organizations, services, hours
    SERVICE_CAPACITY = "service_capacity"  # a directory service's open places and waitlist
    CHARGE_HOLD = "charge_hold"
    LEGAL_MATTER = (
        "legal_matter"  # other pending cases, warrants, new charges; both sides' positions
    )
    JUSTICE_EVENT = "justice_event"
    IMPORT_RUN = "import_run"  # an import of a file: name, mapping, counts, refusal
    QUARANTINE = "quarantine"  # rows an import set aside, as the file had them
    LINK = "link"  # justice persons as booked, their links to program people, review decisions
    FUND_BUDGET = "fund_budget"  # flexible funds: a site's budget lines by period and category
    FUND_SPEND = "fund_spend"  # money spent for a participant, its approval and receipt
    FUND_RULES = "fund_rules"  # a site's flexible-fund rules: the amount a supervisor approves
    TASK = "task"  # a to-do with an owner and a due date, about a participant or not
    ASSIGNMENT = "assignment"  # who holds which case, loads against the caps; reassigning
    WAITLIST = "waitlist"  # people turned away for capacity, waiting for a place
    RECORD_ACCESS = "record_access"  # who opened a participant's record, from the audit trail
    MEETING = "meeting"  # a work group meeting: its date, who came, whom it discussed
    MEETING_ITEM = "meeting_item"  # what was said and decided about one participant
    ACTION_ITEM = "action_item"  # a meeting's to-do: owner, due date, done
    SURVEY = "survey"  # a legitimacy survey: whom it asks, its instrument, its link, its dates
    SURVEY_RESPONSE = "survey_response"  # one set of answers (never shown alone: aggregates)
    AGGREGATE = "aggregate"  # counts and rates with no person in them
    DEIDENTIFIED = "deidentified"  # person-level rows with identity removed


# Which kind each audited model is, so history records land in the trail under the right name.
_MODEL_KINDS = {
    "jurisdictions.jurisdiction": Kind.CONFIGURATION,
    "jurisdictions.area": Kind.CONFIGURATION,
    "jurisdictions.precinct": Kind.CONFIGURATION,
    "jurisdictions.organization": Kind.CONFIGURATION,
    "jurisdictions.statutemapping": Kind.CONFIGURATION,
    "jurisdictions.handoffwebhook": Kind.CONFIGURATION,
    "staff.user": Kind.STAFF,
    "staff.rolegrant": Kind.STAFF,
    "people.person": Kind.PERSON,
    "people.personname": Kind.PERSON,
    "people.personidentifier": Kind.PERSON,
    "field.encounter": Kind.ENCOUNTER,
    "field.offense": Kind.ENCOUNTER,
    "field.referral": Kind.REFERRAL,
    "field.screening": Kind.SCREENING,
    "field.eligibilitypolicy": Kind.CONFIGURATION,
    "casework.enrollment": Kind.ENROLLMENT,
    "casework.releaseofinformation": Kind.RELEASE,
    "casework.interventionplan": Kind.PLAN,
    "casework.goal": Kind.PLAN,
    "casework.goalstep": Kind.PLAN,
    "casework.contact": Kind.CONTACT,
    "casework.casenote": Kind.CASE_NOTE,
    "casework.servicereferral": Kind.SERVICE_REFERRAL,
    "charges.chargehold": Kind.CHARGE_HOLD,
    "charges.legalmatter": Kind.LEGAL_MATTER,
    "assessment.assessmentinstrument": Kind.CONFIGURATION,
    "assessment.assessment": Kind.ASSESSMENT,
    "assessment.answer": Kind.ASSESSMENT,
    "assessment.reassessment": Kind.ASSESSMENT,
    "records.justiceevent": Kind.JUSTICE_EVENT,
    "records.importrun": Kind.IMPORT_RUN,
    "records.quarantinedrow": Kind.QUARANTINE,
    "linkage.justiceperson": Kind.LINK,
    "linkage.link": Kind.LINK,
    "linkage.linkrun": Kind.LINK,
    "linkage.personmerge": Kind.LINK,
    "casework.task": Kind.TASK,
    "directory.organization": Kind.DIRECTORY,
    "directory.service": Kind.DIRECTORY,
    "directory.location": Kind.DIRECTORY,
    "directory.serviceatlocation": Kind.DIRECTORY,
    "funds.fundrules": Kind.FUND_RULES,
    "funds.fundbudget": Kind.FUND_BUDGET,
    "funds.fundspend": Kind.FUND_SPEND,
    "casework.waitlistentry": Kind.WAITLIST,
    "meetings.meeting": Kind.MEETING,
    "meetings.meetingitem": Kind.MEETING_ITEM,
    "meetings.actionitem": Kind.ACTION_ITEM,
    "surveys.survey": Kind.SURVEY,
    "surveys.surveyresponse": Kind.SURVEY_RESPONSE,
}


def kind_of_model(model: type) -> str:
    return _MODEL_KINDS.get(model._meta.label_lower, model._meta.label_lower)
