"""HSDS 3.0 import and export: the specification's own examples round-trip unchanged, and a
file that fails the schema is refused whole, naming the JSON path of each error."""

import json
from pathlib import Path

import pytest

from divert.directory import hsds
from divert.directory.exports import directory_export
from divert.directory.imports import Refused, directory_import
from divert.directory.models import Category, Organization, Schedule, Service, ServiceAtLocation
from divert.jurisdictions.models import Organization as SiteOrganization

EXAMPLES = Path(__file__).parent / "examples"


def _example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


@pytest.mark.parametrize("kind", ["service", "organization", "service_at_location"])
def test_the_specifications_full_examples_round_trip_unchanged(site, kind):
    original = _example(f"{kind}_full")
    directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(original))
    exported = directory_export(
        user=None, jurisdiction=site["site"], kind=kind, hsds_id=original["id"]
    )
    assert exported == original
    assert hsds.errors(exported, kind) == []


@pytest.mark.parametrize("kind", ["service_list", "organization_list", "service_at_location_list"])
def test_the_specifications_list_examples_import_and_export_their_items_unchanged(site, kind):
    original = _example(kind)
    done = directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(original))
    assert done.kind == kind
    exported = directory_export(user=None, jurisdiction=site["site"], kind=kind)
    assert exported["contents"] == original["contents"]
    assert exported["total_items"] == len(original["contents"])
    assert hsds.errors(exported, kind) == []


def test_the_service_example_fills_the_columns_divert_searches(site):
    directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(_example("service_full")))
    service = Service.objects.get(jurisdiction=site["site"])
    assert service.name == "Community Counselling"
    assert service.status == "active" and service.minimum_age == 12
    assert service.organization.name == "Example Organization Inc."
    # The directory's organization is the site's provider: releases can name it.
    assert service.organization.partner.kind == SiteOrganization.Kind.PROVIDER
    assert service.schedules.exists() and service.languages.exists()
    assert ServiceAtLocation.objects.filter(service=service).count() == 1


def test_a_fuller_form_is_never_replaced_by_a_thinner_one(site):
    full = _example("service_full")
    directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(full))
    directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(_example("service_list")))
    exported = directory_export(
        user=None, jurisdiction=site["site"], kind="service", hsds_id=full["id"]
    )
    assert exported == full


def test_unknown_keys_the_schema_allows_are_kept(site):
    doc = _example("organization_full")
    doc["x_local_note"] = "kept as sent"
    directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(doc))
    exported = directory_export(
        user=None, jurisdiction=site["site"], kind="organization", hsds_id=doc["id"]
    )
    assert exported["x_local_note"] == "kept as sent"


def _nothing_stored(site) -> bool:
    return not any(
        m.objects.filter(jurisdiction=site["site"]).exists()
        for m in (Organization, Service, ServiceAtLocation, Schedule, Category)
    )


def test_wrong_types_are_refused_whole_with_each_json_path(site):
    doc = _example("service_full")
    doc["name"] = 5
    doc["minimum_age"] = "twelve"
    doc["schedules"][0]["byday"] = ["MO"]
    with pytest.raises(Refused) as refused:
        directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(doc))
    fields = {e["field"] for e in refused.value.errors}
    assert {"$.name", "$.minimum_age", "$.schedules[0].byday"} <= fields
    assert _nothing_stored(site)


def test_one_bad_item_in_a_list_refuses_the_whole_list(site):
    doc = _example("service_list")
    bad = dict(doc["contents"][0], id="6b0b7a4c-9d35-4a0f-9b7e-2a3cfb1b5c11", status="open-ish")
    doc["contents"].append(bad)
    with pytest.raises(Refused) as refused:
        directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(doc))
    assert [e["field"] for e in refused.value.errors] == ["$.contents[1].status"]
    assert _nothing_stored(site)


def test_a_reference_to_nothing_rolls_back_what_came_before_it(site):
    doc = _example("service_at_location_list")
    doc["contents"].append({"id": "0c7e7f7e-1111-4c4c-8d8d-123456789abc", "service_id": "nope"})
    with pytest.raises(Refused) as refused:
        directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(doc))
    assert refused.value.errors[0]["field"] == "$.contents[1].service_id"
    assert _nothing_stored(site)


def _deep_key(levels: int) -> bytes:
    value: object = 1
    for _ in range(levels):
        value = {"a": value}
    return json.dumps({"id": "x", "name": "n", "description": "d", "x": value}).encode()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested"),
        (_deep_key(40), "nested"),
        (b" " * (hsds.MAX_BYTES + 1), "larger"),
        (b"\xff\xfe", "not JSON"),
        (b"[]", "is not of type 'object'"),
    ],
    ids=["not-json", "deep-arrays", "deep-key", "50MB", "bad-bytes", "array"],
)
def test_hostile_files_are_refused_cleanly(site, raw, message):
    with pytest.raises(Refused) as refused:
        directory_import(user=None, jurisdiction=site["site"], raw=raw)
    assert message in refused.value.errors[0]["message"]
    assert _nothing_stored(site)


def test_a_name_that_is_the_police_is_refused(site):
    doc = _example("organization_full")
    doc["name"] = site["orgs"]["police"].name
    with pytest.raises(Refused) as refused:
        directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(doc))
    assert refused.value.errors[0]["field"] == "$.name"
    assert _nothing_stored(site)


def test_sites_keep_their_own_directories(site, other_site):
    doc = json.dumps(_example("service_full"))
    directory_import(user=None, jurisdiction=site["site"], raw=doc)
    directory_import(user=None, jurisdiction=other_site["site"], raw=doc)
    assert Service.objects.filter(jurisdiction=site["site"]).count() == 1
    assert Service.objects.filter(jurisdiction=other_site["site"]).count() == 1
