"""Persons, their aliases and outside identifiers, and the name index search uses."""

import pandas as pd

from divert.jurisdictions.models import Jurisdiction
from divert.people.models import Ethnicity, NameKey, Person, PersonIdentifier, PersonName, Race, Sex
from divert.people.search import bulk_keys
from divert.seeding.dates import dates

# Synthetic codes -> Django choices. The synth's "other" race has no Django counterpart, so
# it is stored as unknown rather than guessed; any code not listed is unknown too.
RACE = {
    "white": Race.WHITE,
    "black": Race.BLACK,
    "asian": Race.ASIAN,
    "native": Race.AMERICAN_INDIAN,
}
ETHNICITY = {"hispanic": Ethnicity.HISPANIC, "non_hispanic": Ethnicity.NOT_HISPANIC}
SEX = {"female": Sex.FEMALE, "male": Sex.MALE}
JAIL = "county-jail"


def persons_create(
    *, site: Jurisdiction, persons: pd.DataFrame, links: pd.DataFrame, jail: pd.DataFrame
) -> dict[int, int]:
    """Persons with the jail's id as an identifier and jail nicknames as aliases.

    Returns synth person_id -> Person pk. NameKey rows are built here because bulk_create
    skips the post_save signal that normally keeps the name index current.
    """
    rows = [
        Person(
            jurisdiction=site,
            first_name=first,
            last_name=last,
            date_of_birth=dob,
            race=RACE.get(race, Race.UNKNOWN),
            ethnicity=ETHNICITY.get(eth, Ethnicity.UNKNOWN),
            sex=SEX.get(sex, Sex.UNKNOWN),
        )
        for first, last, dob, race, eth, sex in zip(
            persons.first_name,
            persons.last_name,
            dates(persons.dob),
            persons.race,
            persons.ethnicity,
            persons.sex,
            strict=True,
        )
    ]
    created = Person.objects.bulk_create(rows)
    ids = dict(zip(persons.person_id.astype(int), (p.pk for p in created), strict=True))

    linked = links.merge(jail, on="justice_person_id")
    PersonIdentifier.objects.bulk_create(
        PersonIdentifier(person_id=ids[int(pid)], system=JAIL, value=str(int(jpid)))
        for pid, jpid in zip(linked.person_id, linked.justice_person_id, strict=True)
    )
    # A nickname the jail booked someone under is a name the program will hear too.
    nick = linked[linked.nickname]
    aliases = PersonName.objects.bulk_create(
        PersonName(person_id=ids[int(pid)], kind=PersonName.Kind.ALIAS, first_name=f, last_name=s)
        for pid, f, s in zip(nick.person_id, nick.first_name, nick.last_name, strict=True)
    )
    keys = [(p.pk, p.first_name, p.last_name) for p in created]
    keys += [(a.person_id, a.first_name, a.last_name) for a in aliases]
    NameKey.objects.bulk_create(bulk_keys(keys))
    return ids
