"""Pages take GET, HEAD and POST; the other methods are the API's."""

import pytest

from divert.staff.roles import Role


@pytest.mark.parametrize("method", ["put", "patch", "delete", "trace", "options"])
@pytest.mark.parametrize("path", ["/", "/surveys/1/", "/imports/quarantine/1/", "/admin/"])
def test_a_page_refuses_other_methods_with_405(client, site, method, path):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"


def test_the_api_still_takes_put_patch_and_delete(client, site):
    client.force_login(site["users"][Role.CASE_MANAGER])
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/no-such-thing", content_type="application/json")
        assert response.status_code == 404, method


def test_a_page_still_answers_get_head_and_post(client, site):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    assert client.get("/imports/").status_code == 200
    assert client.head("/imports/").status_code == 200
    assert client.post("/imports/", {}).status_code != 405
