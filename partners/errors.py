"""Domain errors: exceptions whose message is written for the person who caused them.

Every app raises subclasses of :class:`DomainError`; they are mapped to HTTP (API), messages (UI)
and exit codes (commands) in one place each, never caught and re-worded along the way.
"""


class DomainError(Exception):
    """A rule of the domain refused the action; ``str(error)`` is the user-facing message."""

    #: HTTP status the API maps this error to.
    status_code = 400


class NotAllowed(DomainError):
    """The user may not do this to this object (that the object exists is already known to them)."""

    status_code = 403


class Conflict(DomainError):
    """Someone else changed the object first (lost-update guard); reload and try again."""

    status_code = 409


class InvalidInput(DomainError):
    """A value the user gave is not acceptable; the message names the field and why."""
