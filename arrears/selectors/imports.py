"""Reads of ledger imports."""

from ..models import LedgerImport


def import_list(*, partner):
    return LedgerImport.objects.filter(partner=partner).select_related("profile")
