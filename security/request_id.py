"""The current request's id, readable anywhere in the same thread or task (logs, error pages)."""

import re
import uuid
from contextvars import ContextVar

_current: ContextVar[str] = ContextVar("tijdig_request_id", default="-")

#: An incoming ``X-Request-ID`` (from the TLS proxy) is kept only if it looks like an id.
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"


def new_id(incoming: str | None = None) -> str:
    if incoming and SAFE_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def get() -> str:
    return _current.get()


def set(value: str):
    return _current.set(value)


def reset(token) -> None:
    _current.reset(token)
