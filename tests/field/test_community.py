import pytest

from divert.field.models import Referral
from divert.field.policies import policy_load
from divert.staff.roles import Role
from tests.field.conftest import POLICIES


def _refer(client, **fields):
    payload = {"first_name": "Kim", "last_name": "Park", **fields}
    return client.post(
        "/api/v1/field/community-referrals", payload, content_type="application/json"
    )


def test_a_partner_refers_and_sees_only_the_status(client, site, seattle_2020, on_call):
    client.force_login(site["users"][Role.PARTNER])
    response = _refer(client, note="usually at the day centre")
    assert response.status_code == 201
    assert response.json()["status"] == "awaiting contact"
    referral = Referral.objects.get(pk=response.json()["referral_id"])
    assert referral.pathway == "community" and referral.enrollment.case_manager == on_call
    [listed] = client.get("/api/v1/field/referrals").json()
    assert set(listed) == {
        "id",
        "person_id",
        "pathway",
        "referred_at",
        "handed_off_at",
        "capacity_refused",
        "enrolled",
    }
    assert client.get(f"/api/v1/people/{referral.person_id}").status_code == 403


def test_a_full_program_keeps_community_referrals_as_capacity_refusals(
    client, site, seattle_2020, on_call
):
    site["site"].caseload_target = 0
    site["site"].save()
    client.force_login(site["users"][Role.PARTNER])
    assert _refer(client).json() == {
        "referral_id": Referral.objects.get().pk,
        "capacity_refused": True,
        "status": "program full",
    }


def test_a_site_without_the_community_pathway_refuses_them(client, site, seattle, on_call):
    client.force_login(site["users"][Role.PARTNER])
    response = _refer(client)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "pathway"
    assert not Referral.objects.exists()


def test_the_partner_page_sends_a_referral(client, site, seattle_2020, on_call):
    client.force_login(site["users"][Role.PARTNER])
    response = client.post("/field/community/new/", {"first_name": "Kim", "last_name": "Park"})
    assert b"Referral sent" in response.content
    assert b"Kim Park" in client.get("/referrals/").content


def test_officers_cannot_send_community_referrals_by_page(client, site, seattle_2020):
    client.force_login(site["users"][Role.PROSECUTOR])
    assert client.get("/field/community/new/").status_code == 403


def test_the_supervisor_sees_capacity_refusals_and_caseloads(client, site, seattle_2020, on_call):
    site["site"].caseload_target = 0
    site["site"].save()
    client.force_login(site["users"][Role.PARTNER])
    _refer(client)
    client.force_login(site["users"][Role.SUPERVISOR])
    html = client.get("/field/capacity/").content.decode()
    assert "Kim Park" in html and "Community referral" in html
    client.force_login(site["users"][Role.OFFICER])
    assert client.get("/field/capacity/").status_code == 403


def test_the_lookup_api_answers_enrolled_and_whom_to_call(client, site, participant):
    client.force_login(site["users"][Role.OFFICER])
    [hit] = client.get("/api/v1/field/lookup", {"q": "bob jones"}).json()
    assert hit == {
        "person_id": participant["person"].pk,
        "name": "Robert Jones",
        "born": 1980,
        "enrolled": True,
        "case_manager": "Case manager",
        "phone": "206-555-0199",
    }
    assert client.get("/api/v1/field/lookup", {"q": "x"}).status_code == 422


def test_policy_text_is_kept_per_version_and_a_broken_file_leaves_the_old_one_active(site):
    from django.core.exceptions import ValidationError

    from divert.field.models import EligibilityPolicy
    from divert.field.policies import policy_active

    first = policy_load(
        jurisdiction=site["site"], text=(POLICIES / "seattle-2011.toml").read_text()
    )
    second = policy_load(
        jurisdiction=site["site"], text=(POLICIES / "seattle-2020.toml").read_text()
    )
    assert policy_active(jurisdiction_id=site["site"].pk)[0] == second
    broken = (
        (POLICIES / "seattle-2020.toml").read_text().replace("max_grams = 3.0", "max_grams = -3")
    )
    broken = broken.replace('version = "2020.1"', 'version = "2020.2"')
    with pytest.raises(ValidationError) as exc:
        policy_load(jurisdiction=site["site"], text=broken)
    assert "drugs.max_grams" in exc.value.message_dict
    assert "line " in exc.value.message_dict["drugs.max_grams"][0]
    assert policy_active(jurisdiction_id=site["site"].pk)[0] == second
    assert list(
        EligibilityPolicy.objects.values_list("version", flat=True).order_by("version")
    ) == ["2011.1", "2020.1"]
    first.refresh_from_db()
    assert not first.active
