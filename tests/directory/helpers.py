"""A small HSDS 3.0 directory for the test site, built the way a provider would send it."""

import json
import uuid

from divert.directory.imports import directory_import


def _id() -> str:
    return str(uuid.uuid4())


def _term(name: str) -> dict:
    return {"id": _id(), "taxonomy_term": {"id": _id(), "code": name.lower(), "name": name}}


def _hours(byday: str, opens: str, closes: str) -> dict:
    return {"id": _id(), "freq": "WEEKLY", "byday": byday, "opens_at": opens, "closes_at": closes}


def directory_document(organization: str) -> dict:
    """`organization` (a site organization's name) runs a night shelter and a day clinic."""
    harbor = {
        "id": _id(),
        "location_type": "physical",
        "name": "Harbor drop-in",
        "addresses": [
            {
                "id": _id(),
                "address_1": "12 Pier Street",
                "city": "Harbor",
                "state_province": "WA",
                "postal_code": "98101",
                "country": "US",
                "address_type": "physical",
            }
        ],
    }
    return {
        "id": _id(),
        "name": organization,
        "description": "Shelter and health care for people on the street.",
        "services": [
            {
                "id": _id(),
                "name": "Night shelter",
                "description": "Beds from six in the evening.",
                "status": "active",
                "eligibility_description": "Adults",
                "minimum_age": 18,
                "schedules": [_hours("MO,TU,WE,TH,FR,SA,SU", "18:00:00", "08:00:00")],
                "attributes": [_term("Housing")],
                "languages": [{"id": _id(), "name": "Spanish", "code": "es"}],
                "service_areas": [{"id": _id(), "name": "Harbor"}],
            },
            {
                "id": _id(),
                "name": "Day clinic",
                "description": "Walk-in health care.",
                "status": "active",
                "schedules": [_hours("MO,TU,WE,TH,FR", "09:00:00", "17:00:00")],
                "attributes": [_term("Health")],
                "service_at_locations": [{"id": _id(), "location": harbor}],
            },
        ],
    }


def load_directory(site: dict, organization: str | None = None) -> dict:
    """Import the small directory into `site`, run by its community organization."""
    name = organization or site["orgs"]["community"].name
    document = directory_document(name)
    directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(document))
    return document
