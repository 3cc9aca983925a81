"""Every read of personal data on record, structurally (docs/adr/0026).

One place every read passes through, instead of an ``audit.record`` remembered per view:

- ``partners.readscope.AuditReadsMiddleware`` opens a *read scope* for each request. Reads noted during
  the request (by the selectors, the API serializers, the admin) are collected — once per object, action
  and channel — and written in bulk when the response leaves, outside any transaction the view opened, so
  a rollback or an error page cannot lose them (rows of a request that ended in a 5xx carry its status).
- :class:`AuditedReadSerializerMixin`: every API serializer of a personal-data model notes the objects
  it represents, whichever view, list, detail or action answer used it (with or without a context: the
  read scope knows the request).
- :class:`AuditedReadAdminMixin`: the Django admin notes the rows of a change list and the object of a
  change, history or delete page, for the platform administrator too.

Outside a request (commands, tasks, tests calling a selector) there is no scope and
``partners.audit`` writes at once. ``PERSONAL_DATA_MODELS`` names the models whose rows are personal
data; a test holds every admin and API serializer of them to these mixins.
"""

from partners import audit, readscope

#: Models whose rows are, or carry, a household's personal data (or values from a ledger file).
PERSONAL_DATA_MODELS = frozenset(
    {
        "households.Household",
        "households.Tenancy",
        "arrears.Case",
        "arrears.CaseEvent",
        "arrears.Signal",
        "arrears.ContactAttempt",
        "arrears.Note",
        "arrears.Referral",
        "arrears.PaymentArrangement",
        "arrears.EvictionStep",
        "ledger.LedgerLine",
        "ledger.ArrearsState",
        "ledger.ArrearsSnapshot",
        "ledger.LedgerImport",  # its error report quotes values from the file
    }
)


class AuditedReadSerializerMixin:
    """For API serializers of personal-data models: every object represented is a read on record
    (channel ``api``), whatever view used the serializer."""

    audit_channel = "api"

    def to_representation(self, instance):
        request = self.context.get("request") if hasattr(self, "context") else None
        if request is None and (scope := readscope.current()) is not None:
            request = scope.request  # a serializer made without context still reads for the request's user
        if request is not None and getattr(request, "user", None) is not None and request.user.is_authenticated:
            audit.record_reads(user=request.user, objects=[instance], channel=self.audit_channel)
        return super().to_representation(instance)


class AuditedReadAdminMixin:
    """For admin classes of personal-data models: the rows of a change list and the object of a change,
    history or delete page are reads on record (channel ``admin``), for the platform administrator too."""

    audit_channel = "admin"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl") if hasattr(response, "context_data") else None
        if changelist is not None:
            audit.record_reads(user=request.user, objects=list(changelist.result_list), channel=self.audit_channel)
        return response

    def _record_read(self, request, object_id):
        obj = self.get_object(request, object_id) if object_id else None
        if obj is not None:
            audit.record_reads(user=request.user, objects=[obj], channel=self.audit_channel)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._record_read(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._record_read(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._record_read(request, object_id)
        return super().delete_view(request, object_id, extra_context)
