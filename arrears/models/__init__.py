from .cases import (
    Case,
    CaseEvent,
    CaseGroupObjectPermission,
    ContactAttempt,
    Note,
    PaymentArrangement,
    Referral,
    Signal,
)
from .dashboards import WeeklyFigures
from .ledger import ArrearsSnapshot, ArrearsState, FlaggingRule, ImportProfile, LedgerImport, LedgerLine
from .retention import PurgeRun

__all__ = [
    "ArrearsSnapshot",
    "ArrearsState",
    "Case",
    "CaseEvent",
    "CaseGroupObjectPermission",
    "ContactAttempt",
    "FlaggingRule",
    "ImportProfile",
    "LedgerImport",
    "LedgerLine",
    "Note",
    "PaymentArrangement",
    "PurgeRun",
    "Referral",
    "Signal",
    "WeeklyFigures",
]
