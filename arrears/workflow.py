"""Case states and the transitions between them, declared once (cf. Signalen's ``workflow.py``).

Services call :func:`check_transition` before they change a case's state; no other module knows
which transition is allowed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    NEW = "new", _("New")  # flagged, in the corporation's queue, nobody has claimed it
    IN_PROGRESS = "in_progress", _("In progress")  # claimed; contact attempts, checklist
    SIGNALLED = "signalled", _("Signalled to social service")  # routed, waiting to be taken up
    TAKEN_UP = "taken_up", _("Taken up by social service")
    CLOSED = "closed", _("Closed")


OPEN_STATES = (CaseState.NEW, CaseState.IN_PROGRESS, CaseState.SIGNALLED, CaseState.TAKEN_UP)

TRANSITIONS: dict[CaseState, set[CaseState]] = {
    # claim / assign; routed to the social service; warm handover accepted; closed
    CaseState.NEW: {CaseState.IN_PROGRESS, CaseState.SIGNALLED, CaseState.TAKEN_UP, CaseState.CLOSED},
    # released; routed; warm handover accepted; closed
    CaseState.IN_PROGRESS: {CaseState.NEW, CaseState.SIGNALLED, CaseState.TAKEN_UP, CaseState.CLOSED},
    # taken up; back to the corporation (re-routed by hand or an objection); closed
    CaseState.SIGNALLED: {CaseState.TAKEN_UP, CaseState.NEW, CaseState.CLOSED},
    # closed; handed back to the corporation; re-routed to another social service
    CaseState.TAKEN_UP: {CaseState.CLOSED, CaseState.NEW, CaseState.SIGNALLED},
    CaseState.CLOSED: set(),
}

#: States in which the case sits in the corporation's own queue; the others are in a social service's.
CORPORATION_STATES = (CaseState.NEW, CaseState.IN_PROGRESS)
SOCIAL_SERVICE_STATES = (CaseState.SIGNALLED, CaseState.TAKEN_UP)


class TransitionNotAllowed(Exception):
    """A state change the workflow does not allow; the message is for the user."""

    def __init__(self, current: str, target: str) -> None:
        self.current = CaseState(current)
        self.target = CaseState(target)
        super().__init__(
            _("A case that is “%(current)s” cannot become “%(target)s”.")
            % {"current": self.current.label, "target": self.target.label}
        )


def allowed_targets(state: str) -> set[CaseState]:
    return TRANSITIONS[CaseState(state)]


def check_transition(current: str, target: str) -> None:
    if CaseState(target) not in TRANSITIONS[CaseState(current)]:
        raise TransitionNotAllowed(current, target)
