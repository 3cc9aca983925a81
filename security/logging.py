"""Structured logs without personal data.

* :class:`RequestIdFilter` puts the current request id (or Celery task id) on every record.
* :class:`RedactFilter` replaces anything that looks like personal data in the message and the
  exception text: e-mail addresses, phone numbers, Dutch postcodes, IBANs, nine-digit numbers (BSN)
  and the values PostgreSQL quotes in ``DETAIL: Key (...)=(...)``. It is a safety net: code logs ids,
  never names or addresses, in the first place.
* :class:`JsonFormatter` writes one JSON object per line.
"""

import datetime as dt
import json
import logging
import re

from security import request_id

REDACTED = "[redacted]"
PATTERNS = [
    # PostgreSQL constraint details quote the offending row's values.
    (re.compile(r"(Key \([^)]*\)=\()[^)]*(\))"), rf"\g<1>{REDACTED}\g<2>"),
    (re.compile(r"(Failing row contains \()[^\n]*(\))"), rf"\g<1>{REDACTED}\g<2>"),
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), REDACTED),  # e-mail
    (re.compile(r"\bNL\d{2}[A-Z]{4}\d{10}\b", re.IGNORECASE), REDACTED),  # IBAN
    (re.compile(r"\b[1-9]\d{3} ?[A-Z]{2}\b"), REDACTED),  # postcode
    (re.compile(r"(?<![\w/])(\+31|0031|0)[ -]?[1-9](?:[ -]?\d){8}\b"), REDACTED),  # phone
    (re.compile(r"\b\d{9}\b"), REDACTED),  # BSN-like
]
#: Attributes every LogRecord has; anything else was passed in ``extra=`` and goes into the JSON.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id", "request", "server_time"}


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class RedactFilter(logging.Filter):
    """Render the message once, redacted, so no handler sees the raw arguments."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)
