"""The OpenAPI schema validates, documents every endpoint with examples, and the docs pages obey the CSP."""

import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_schema_validates_against_openapi_3(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["tokenAuth"]["description"],
    }


def test_every_operation_has_a_summary_and_examples(schema):
    missing = []
    for name, operation in operations(schema):
        ok = [
            content.get("examples")
            for code, response in operation["responses"].items()
            if code.startswith("2")
            for content in response.get("content", {}).values()
        ]
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if not operation.get("summary") or not any(ok) or (body is not None and not body.get("examples")):
            missing.append(name)
    assert not missing, f"operations without summary or examples: {missing}"


def test_every_operation_documents_its_json_errors(schema):
    for name, operation in operations(schema):
        for code in ("401", "403", "429"):
            assert operation["responses"][code]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }, name


def test_schema_is_served_in_english(client):
    response = client.get(reverse("api:schema"), {"format": "json"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Tijdig API"
    assert "Signalled to social service" in response.content.decode()


@pytest.mark.parametrize("name", ["api:docs", "api:redoc"])
def test_docs_pages_need_no_inline_script_style_or_cdn(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html and "style=" not in html
    assert re.findall(r"(?:src|href)=\"(?:https?:)?//", html) == []
    assert "drf_spectacular_sidecar" in html
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'self'"


def test_swagger_init_script_is_a_static_response(client):
    response = client.get(reverse("api:docs"), {"script": ""})
    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()
    assert response["Content-Type"].startswith("application/javascript")


def test_descriptions_call_an_episode_an_arrears_episode_and_keep_the_names(schema):
    """Issue 16 (docs/adr/0091): the resource and its fields keep their names (integrators use them); the
    descriptions say an arrears episode where they mean one, and a signal only for what goes to the
    municipality."""
    listing = schema["paths"]["/api/v1/signals/"]["get"]
    assert listing["summary"] == "List arrears episodes" and "`signals`" in listing["description"]
    case = schema["components"]["schemas"]["Case"]["properties"]
    assert "arrears_amount" in case and "open arrears episodes" in case["arrears_amount"]["description"]
    assert case["checklist"].get("nullable") or {"type": "null"} in case["checklist"].get("oneOf", [])
