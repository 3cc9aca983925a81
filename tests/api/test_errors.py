"""Every error is JSON {detail, errors}; bad input is 400 with the fields named, never 500."""

import pytest
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.test import APIRequestFactory

from partners.api.exceptions import exception_handler, flatten_errors
from partners.errors import Conflict, DomainError, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "bogus"}, "cursor"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "abc"}, "page_size"),
        ({"page_size": "201"}, "page_size"),
        ({"state": "nonsense"}, "state"),
        ({"household": "-1"}, "household"),
        ({"household": "99999999999999999999"}, "household"),
        ({"opened_after": "31-02-2026"}, "opened_after"),
        ({"queue": "a\x00b"}, "queue"),
    ],
)
def test_bad_query_parameters_are_400_with_the_field(world, api, params, field):
    response = api(world.alice).get("/api/v1/cases/", params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert field in body["errors"] and body["errors"][field]
    assert field in body["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nope/",
        "/api/v1/cases/abc/",
        "/api/v1/cases/0/",
        "/api/v1/cases/99999999999999999999999/",
        "/api/v1/cases/1.5/",
        "/api/v1/households/%00/",
    ],
)
def test_unknown_paths_and_ids_are_json_404(world, api, path):
    response = api(world.alice).get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"], "errors": {}}


def test_method_not_allowed_is_json_405(world, api):
    response = api(world.alice).delete("/api/v1/cases/")
    assert response.status_code == 405
    assert set(response.json()) == {"detail", "errors"}


def test_english_messages_on_request(world, api):
    response = api(world.alice).get("/api/v1/cases/", {"page_size": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "Invalid input: page_size: Give a whole number from 1 to 200."


def _handle(exc):
    request = APIRequestFactory().get("/")
    return exception_handler(exc, {"request": request, "view": None})


@pytest.mark.parametrize(("error", "status"), [(DomainError("x"), 400), (NotAllowed("x"), 403), (Conflict("x"), 409)])
def test_domain_errors_map_to_their_status(error, status):
    response = _handle(error)
    assert (response.status_code, response.data) == (status, {"detail": "x", "errors": {}})


def test_django_validation_errors_are_400_per_field():
    from django.core.exceptions import ValidationError

    response = _handle(ValidationError({"until": ["Too far ahead."]}))
    assert response.status_code == 400
    assert response.data["errors"] == {"until": ["Too far ahead."]}


def test_throttled_keeps_retry_after():
    response = _handle(Throttled(wait=12))
    assert response.status_code == 429 and response["Retry-After"] == "12"


def test_nested_errors_are_flattened():
    class Inner(serializers.Serializer):
        code = serializers.IntegerField()

    class Outer(serializers.Serializer):
        items = Inner(many=True)
        name = serializers.CharField()

    outer = Outer(data={"items": [{"code": 1}, {"code": "x"}]})
    assert not outer.is_valid()
    assert flatten_errors(outer.errors) == {
        "items.1.code": ["A valid integer is required."],
        "name": ["This field is required."],
    }
    assert flatten_errors(["a", "b"]) == {"non_field_errors": ["a", "b"]}
    assert flatten_errors("plain") == {"non_field_errors": ["plain"]}


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("notes", {"text": 0}, "text"),
        ("notes", {"text": "x", "shareable": 1}, "shareable"),
        ("contact-attempts", {"kind": "Telefoon", "reached": "yes", "date": "2026-11-02"}, "reached"),
        ("payment-arrangement", {"monthly_amount": 50, "start_date": "2026-11-02"}, "monthly_amount"),
        ("claim", {"expected_version": "3"}, "expected_version"),
        ("objection", {"date": "1999-12-31"}, "date"),
    ],
)
def test_action_inputs_take_json_types_as_the_schema_says(world, api, action, body, field):
    from tests.arrears.factories import CaseFactory
    from tests.households.factories import HouseholdFactory

    case = CaseFactory(household=HouseholdFactory(corporation=world.corp_a))
    response = api(world.alice).post(f"/api/v1/cases/{case.pk}/{action}/", body, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]


def test_action_bodies_are_json_only_and_a_null_body_is_refused(world, api):
    """Found by schemathesis: a multipart body of ``None`` claimed the case. Bodies are JSON (the ledger
    upload alone takes multipart), and a JSON ``null`` is not an object."""
    from tests.arrears.factories import CaseFactory
    from tests.households.factories import HouseholdFactory

    case = CaseFactory(household=HouseholdFactory(corporation=world.corp_a))
    client, url = api(world.alice), f"/api/v1/cases/{case.pk}/claim/"
    multipart = client.post(url, {"expected_version": "1"}, format="multipart")
    assert multipart.status_code == 415, multipart.content
    null = client.generic("POST", url, "null", content_type="application/json")
    assert null.status_code == 400, null.content
    case.refresh_from_db()
    assert case.assignee_id is None
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    claim = schema["paths"]["/api/v1/cases/{id}/claim/"]["post"]
    assert list(claim["requestBody"]["content"]) == ["application/json"]
    upload = schema["paths"]["/api/v1/imports/"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
