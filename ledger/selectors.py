"""Reads of ledger imports: a partner's managers and admins see its imports and their reports."""

from django.http import Http404

from ledger.models import LedgerImport
from partners import audit
from partners.models import Role

IMPORT_ROLES = (Role.ADMIN, Role.MANAGER)


def import_list(*, user=None, partner=None):
    """Imports, newest first: of the user's partners where the user is admin or manager (all for a
    superuser), optionally only those of ``partner``."""
    queryset = LedgerImport.objects.select_related("profile", "partner")
    if user is not None and not user.is_superuser:
        if not user.is_authenticated:
            return queryset.none()
        partner_ids = user.memberships.filter(role__in=IMPORT_ROLES).values_list("partner_id", flat=True)
        queryset = queryset.filter(partner_id__in=partner_ids)
    if partner is not None:
        queryset = queryset.filter(partner=partner)
    return queryset


def import_get(*, user, pk, channel="") -> LedgerImport:
    """One import, or 404. With ``channel`` (a page showing its error report): the report quotes values
    from the file (names, amounts), so the read is audited when there is one."""
    ledger_import = import_list(user=user).filter(pk=pk).first()
    if ledger_import is None:
        raise Http404
    if channel and ledger_import.errors:
        audit.record_reads(
            user=user, objects=[ledger_import], channel=channel, detail={"error_rows": len(ledger_import.errors)}
        )
    return ledger_import
