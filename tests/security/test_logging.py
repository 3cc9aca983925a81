"""Structured logs with request ids and without personal data."""

import io
import json
import logging

import pytest
from django.db import IntegrityError
from django.urls import reverse

from security import request_id
from security.logging import JsonFormatter, RedactFilter, RequestIdFilter, redact

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """A logger wired exactly as production's console handler (JSON, request id, redaction)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter())
    logger = logging.getLogger("tijdig.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_production_settings_log_json():
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["request_id", "redact"]


def test_every_response_carries_a_request_id(client):
    first = client.get(reverse("login"))["X-Request-ID"]
    second = client.get(reverse("login"))["X-Request-ID"]
    assert len(first) == 32 and first != second
    assert client.get(reverse("login"), HTTP_X_REQUEST_ID="proxy-1234abcd")["X-Request-ID"] == "proxy-1234abcd"
    forged = client.get(reverse("login"), HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert len(forged) == 32 and "<" not in forged


def test_log_lines_are_json_with_the_request_id(json_log):
    logger, lines = json_log
    token = request_id.set("req-12345678")
    try:
        logger.info("import %s done", 42, extra={"rows": 10})
    finally:
        request_id.reset(token)
    (line,) = lines()
    assert line["message"] == "import 42 done"
    assert line["request_id"] == "req-12345678"
    assert line["rows"] == 10
    assert line["level"] == "INFO" and line["logger"] == "tijdig.test"


def test_personal_data_is_redacted_from_messages_and_exceptions(json_log):
    logger, lines = json_log
    logger.warning("mail j.devries@example.nl, tel 06-12345678 or +31 78 123 4567, %s", "3311 AA, NL91ABNA0417164300")
    try:
        raise IntegrityError(
            "duplicate key value violates unique constraint\nDETAIL:  Key (postcode, house_number)=(3311 AA, 12) "
            "already exists."
        )
    except IntegrityError:
        logger.exception("save failed for BSN 123456782")
    warning, error = lines()
    for secret in ["devries", "12345678", "123 4567", "3311", "NL91"]:
        assert secret not in warning["message"]
    assert warning["message"].count("[redacted]") == 5
    assert "123456782" not in error["message"]
    assert "Key (postcode, house_number)=([redacted])" in error["exception"]
    assert "3311 AA" not in error["exception"]


def test_redaction_leaves_ids_dates_and_amounts_alone():
    text = "case 1234 imported 2026-10-05 amount 712.50 in 0.3 s"
    assert redact(text) == text


def test_access_log_has_no_query_string(client, caplog):
    with caplog.at_level(logging.INFO, logger="tijdig.access"):
        response = client.get(reverse("login") + "?email=j.devries@example.nl&postcode=3311AA")
    (record,) = [r for r in caplog.records if r.name == "tijdig.access"]
    assert record.path == "/login/"
    assert record.status == 200
    assert record.request_id == response["X-Request-ID"]
    assert "devries" not in record.getMessage() and "3311" not in record.getMessage()
