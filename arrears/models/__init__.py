from arrears.models.cases import (
    Case,
    CaseEvent,
    CaseGroupObjectPermission,
    ContactAttempt,
    EvictionStep,
    Note,
    PaymentArrangement,
    Referral,
    Signal,
)
from arrears.models.flagging import FlaggingRule

__all__ = [
    "Case",
    "CaseEvent",
    "CaseGroupObjectPermission",
    "ContactAttempt",
    "EvictionStep",
    "FlaggingRule",
    "Note",
    "PaymentArrangement",
    "Referral",
    "Signal",
]
