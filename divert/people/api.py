import datetime

from ninja import Field, Router, Schema, Status

from divert.apitypes import Day
from divert.people import selectors, services
from divert.people.models import DatePrecision, Ethnicity, GenderIdentity, Race, Sex

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    first_name: str
    middle_name: str
    last_name: str
    date_of_birth: datetime.date | None
    dob_precision: DatePrecision
    race: Race
    ethnicity: Ethnicity
    sex: Sex
    gender_identity: GenderIdentity
    aliases: list[str]


class AliasIn(Schema):
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)


class IdentifierIn(Schema):
    system: str = Field(max_length=60)
    value: str = Field(max_length=100)


# A person has a few aliases and outside ids; thousands would be an attack on the name index.
MAX_ALIASES = 20
MAX_IDENTIFIERS = 20


class PersonIn(Schema):
    first_name: str = Field(min_length=1, max_length=100)
    middle_name: str = Field("", max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    date_of_birth: Day | None = None
    dob_precision: DatePrecision = DatePrecision.DAY
    race: Race = Race.UNKNOWN
    ethnicity: Ethnicity = Ethnicity.UNKNOWN
    sex: Sex = Sex.UNKNOWN
    gender_identity: GenderIdentity = GenderIdentity.UNKNOWN
    aliases: list[AliasIn] = Field([], max_length=MAX_ALIASES)
    identifiers: list[IdentifierIn] = Field([], max_length=MAX_IDENTIFIERS)
    create_anyway: bool = Field(
        False,
        description="Create even though the engine finds someone like this person already "
        "(the answer without it is 422 naming create_anyway and who was found).",
    )


class EnrollmentStatusOut(Schema):
    enrolled: bool
    case_manager: str
    phone: str


def _person_out(person) -> dict:
    return {
        **{f: getattr(person, f) for f in PersonOut.model_fields if f != "aliases"},
        "aliases": [str(n) for n in person.other_names.all()],
    }


@router.get("/{int:person_id}", response=PersonOut, summary="A person's identity")
def person_detail(request, person_id: int):
    return _person_out(selectors.person_get(user=request.user, person_id=person_id))


@router.get(
    "/{int:person_id}/enrollment-status",
    response=EnrollmentStatusOut,
    summary="Enrolled or not, and whom to call",
)
def person_enrollment_status(request, person_id: int):
    return selectors.enrollment_status_get(user=request.user, person_id=person_id)


@router.post("/", response={201: PersonOut}, summary="Create a person")
def person_create(request, payload: PersonIn):
    data = payload.dict()
    aliases = [(a["first_name"], a["last_name"]) for a in data.pop("aliases")]
    identifiers = [(i["system"], i["value"]) for i in data.pop("identifiers")]
    person = services.person_create(
        user=request.user, aliases=aliases, identifiers=identifiers, **data
    )
    return Status(201, _person_out(person))
