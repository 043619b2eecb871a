import datetime

from ninja import Router, Schema

from divert.records import selectors
from divert.records.models import JusticeEvent

router = Router(tags=["records"])


class JusticeEventOut(Schema):
    id: int
    source_system: str
    kind: JusticeEvent.Kind
    occurred_on: datetime.date
    ended_on: datetime.date | None
    nibrs: str
    level: str
    filed: bool | None
    disposition: str


@router.get("/people/{int:person_id}/events", response=list[JusticeEventOut])
def justice_event_list(request, person_id: int):
    return list(selectors.justice_event_list(user=request.user, person_id=person_id))
