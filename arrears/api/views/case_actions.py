"""Case actions: every state change and piece of case work, each a ``POST /cases/{id}/<action>/``.

Thin: validate the input's shape, fetch the case through ``case_get``, call the one service that owns
the rule, answer with the case as it now is. Errors the services raise (``DomainError``) reach the
client through the API's one exception handler.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from arrears import selectors
from arrears.api import examples
from arrears.api.serializers import actions as inputs
from arrears.api.serializers.cases import (
    CaseDetailSerializer,
    CaseEventSerializer,
    ContactAttemptSerializer,
    NoteSerializer,
)
from arrears.services import cases as case_services
from arrears.services import notes as note_services
from arrears.services import referrals as referral_services
from arrears.services import respite as respite_services
from partners import bounds
from partners.api.examples import request, response
from partners.api.views import CHANNEL


class PdfRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; the view answers with the PDF's bytes itself.
    An error (a dict) is written as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        # An error asked for as PDF (``Accept: application/pdf`` or ``?format=pdf``) is still JSON, and says so.
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = JSONRenderer.media_type
        return JSONRenderer().render(data)


#: A case's own lists (timeline, notes, contact attempts) are short: whole, without the case filters.
UNPAGED = {"pagination_class": None, "filter_backends": []}


def case_action(name, input_class, summary, description, example, url_path=None):
    """``@action`` with its schema: the input with an example in, the updated case out."""

    def decorate(method):
        # @action first: it replaces the function's ``kwargs``, where @extend_schema keeps the schema.
        method = action(detail=True, methods=["post"], url_path=url_path or name, url_name=name, **UNPAGED)(method)
        return extend_schema(
            summary=summary,
            description=description,
            request=input_class,
            responses={200: CaseDetailSerializer},
            examples=[request(example), response(examples.CASE_DETAIL)],
        )(method)

    return decorate


class CaseActionsMixin:
    # The actions of CaseViewSet (``/cases/{id}/<action>/``).

    def _input(self, input_class):
        data = input_class(data=self.request.data, context={"partner": self.acting.partner})
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def _run(self, service, input_class, **extra):
        values = self._input(input_class)
        case = self.get_case()
        if values.get("expected_version") is None:
            values.pop("expected_version", None)
        service(case=case, by=self.request.user, **values, **extra)
        return self.case_response(case)

    @case_action("claim", inputs.EmptyInput, "Claim the case", "Assign it to yourself.", {})
    def claim(self, request, pk=None):
        return self._run(case_services.case_claim, inputs.EmptyInput)

    @case_action(
        "release", inputs.EmptyInput, "Release the case", "Back to the queue, unassigned.", {"expected_version": 7}
    )
    def release(self, request, pk=None):
        return self._run(case_services.case_release, inputs.EmptyInput)

    @case_action(
        "assign",
        inputs.AssignInput,
        "Assign the case",
        "To a colleague (managers).",
        {"assignee": "drechtwonen-caseworker2"},
    )
    def assign(self, request, pk=None):
        return self._run(case_services.case_assign, inputs.AssignInput)

    @extend_schema(
        methods=["GET"],
        summary="The case's contact attempts",
        description="Your own organisation's and the corporation's (a corporation does not see the social service's).",
        request=None,
        responses={200: ContactAttemptSerializer(many=True)},
        examples=[response([examples.CONTACT_ATTEMPT])],
    )
    @extend_schema(
        methods=["POST"],
        summary="Log a contact attempt",
        description="Kind, date, part of day, whether the household was reached, and what came of it. "
        "Answers with the case.",
        request=inputs.ContactAttemptInput,
        responses={200: CaseDetailSerializer},
        examples=[
            request(
                {
                    "kind": "Telefoon",
                    "reached": True,
                    "date": "2026-10-06",
                    "part_of_day": "Ochtend",
                    "outcome": "Visit",
                }
            ),
            response(examples.CASE_DETAIL),
        ],
    )
    @action(detail=True, methods=["get", "post"], url_path="contact-attempts", url_name="contact-attempts", **UNPAGED)
    def contact_attempts(self, request, pk=None):
        if request.method == "GET":
            case = self.get_case()
            attempts = selectors.case_contact_attempts(user=request.user, case=case)
            return Response(ContactAttemptSerializer(attempts, many=True).data)
        return self._run(case_services.contact_attempt_record, inputs.ContactAttemptInput)

    @extend_schema(
        summary="The case's timeline",
        description="Every event on the case you may see, oldest first. Another partner's events that are not "
        "shared keep their kind, time, partner and state change but lose their reason, data and note "
        "(`redacted`). Before take-up (and while a referral waits on you) another partner's events are "
        "listed only when they are the referral or the routing that made the case a signal to a social "
        "service: the corporation's internal workflow is left out altogether.",
        responses={200: CaseEventSerializer(many=True)},
        examples=[response([examples.EVENT])],
    )
    @action(detail=True, methods=["get"], url_path="timeline", url_name="timeline", **UNPAGED)
    def timeline(self, request, pk=None):
        case = self.get_case()
        events = selectors.case_timeline(user=request.user, case=case)
        return Response(CaseEventSerializer(events, many=True).data)

    @extend_schema(
        summary="The case's compliance file (PDF)",
        description="For the court: an A4 PDF of what the Besluit gemeentelijke schuldhulpverlening (art. 2) "
        "requires and what was recorded — reminders, contact attempts, the pointer to debt help, the offer "
        "to pass the details on and any objection, the signal and the municipality's report-back (taken up "
        "or not), respite and payment arrangements — with a document number and the SHA-256 of the printed "
        "facts in the footer. Only for caseworkers and managers of the case's corporation (404 for anyone "
        "else); the download is audited.",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        examples=[
            OpenApiExample(
                "PDF", value="%PDF-1.4 … (binary)", response_only=True, media_type="application/pdf", summary="A4 PDF"
            )
        ],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="compliance-file",
        url_name="compliance-file",
        renderer_classes=[JSONRenderer, PdfRenderer],
        **UNPAGED,
    )
    def compliance_file(self, request, pk=None):
        if self.scope is not None and not self.get_queryset().filter(pk=bounds.id_or_404(pk)).exists():
            raise Http404  # a token narrowed to one partner: that partner's cases only
        return selectors.compliance_file(user=request.user, pk=pk, channel=CHANNEL).as_response()

    @case_action(
        "checklist",
        inputs.ChecklistInput,
        "Record a step of the legal checklist",
        "Besluit gemeentelijke schuldhulpverlening art. 2: reminder sent, contact attempted, pointed to help, "
        "offered to share.",
        {"item": "reminder_sent", "date": "2026-09-02"},
    )
    def checklist(self, request, pk=None):
        return self._run(case_services.checklist_record, inputs.ChecklistInput)

    @case_action(
        "objection",
        inputs.ObjectionInput,
        "Record the tenant's objection",
        "The tenant objects to passing the details on: this blocks the signal.",
        {"date": "2026-09-05", "reason": "Tenant objected by phone"},
    )
    def objection(self, request, pk=None):
        return self._run(case_services.objection_record, inputs.ObjectionInput)

    @case_action(
        "consent-withdrawal",
        inputs.ConsentWithdrawInput,
        "Record that the household withdrew its consent",
        "To the warm handover, or an objection to the sharing after it (AVG art. 21): the consent no longer "
        "lets the case in, a referral waiting on it is withdrawn, and a social service that has the case only "
        "through it reads what the signal carries. The corporation or the social service the case is with.",
        {"date": "2026-09-20"},
    )
    def consent_withdrawal(self, request, pk=None):
        return self._run(referral_services.consent_withdraw, inputs.ConsentWithdrawInput)

    @case_action("signal", inputs.EmptyInput, "Signal now", "Apply the agreement's routing rules to the case now.", {})
    def signal(self, request, pk=None):
        return self._run(case_services.case_signal, inputs.EmptyInput)

    @case_action(
        "reroute",
        inputs.RerouteInput,
        "Move the case to another queue",
        "By hand, with a reason (logged).",
        {"to_partner": "sdd", "reason": "Household moved to Dordrecht"},
    )
    def reroute(self, request, pk=None):
        return self._run(case_services.case_reroute, inputs.RerouteInput)

    @case_action(
        "take-up",
        inputs.EmptyInput,
        "Take the signal up",
        "The social service starts work on it; the caller becomes its assignee if nobody is, and sees the "
        "household in full from now on.",
        {},
    )
    def take_up(self, request, pk=None):
        return self._run(case_services.case_take_up, inputs.EmptyInput)

    @case_action(
        "payment-arrangement",
        inputs.PaymentArrangementInput,
        "Set a payment arrangement",
        "Monthly amount from a start date (optionally to an end date).",
        {"monthly_amount": "75.00", "start_date": "2026-11-01", "end_date": "2027-10-31", "note": "On top of the rent"},
    )
    def payment_arrangement(self, request, pk=None):
        return self._run(case_services.payment_arrangement_record, inputs.PaymentArrangementInput)

    @case_action(
        "eviction-steps",
        inputs.EvictionStepInput,
        "Record an eviction step",
        "Summons, hearing, judgment (granted or refused), eviction announced (its date), executed or cancelled. "
        "A granted judgment or an announced date makes the case a crisis: it is routed at once when the "
        "Besluit art. 2 steps allow.",
        {"kind": "announced", "date": "2026-12-15", "note": "Bailiff's letter received"},
    )
    def eviction_steps(self, request, pk=None):
        return self._run(case_services.eviction_step_record, inputs.EvictionStepInput)

    @case_action(
        "close",
        inputs.CloseInput,
        "Close the case",
        "A social service closes with the DDAS final result (`outcome`), a corporation with its own outcome "
        "(`corporation_outcome`); the other field is a 400 naming it.",
        {"corporation_outcome": "arrears_paid", "reason": "Arrears paid off"},
    )
    def close(self, request, pk=None):
        # The input is read for the partner the caller acts for (its list of outcomes, arrears.outcomes);
        # whether it may close this case at all is the service's answer (403), not the input's.
        return self._run(case_services.case_close, inputs.CloseInput)

    @extend_schema(
        methods=["GET"],
        summary="The case's notes",
        description="Your organisation's notes and the other partner's shareable ones (respite notes always).",
        request=None,
        responses={200: NoteSerializer(many=True)},
        examples=[response([examples.NOTE])],
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a note",
        description="A social service's note is shown to the corporation only when `shareable`.",
        request=inputs.NoteInput,
        responses={201: NoteSerializer},
        examples=[
            request({"text": "Called; household will send bank statements.", "shareable": False}),
            response({**examples.NOTE, "kind": "note", "respite_until": None, "shareable": False}),
        ],
    )
    @action(detail=True, methods=["get", "post"], url_path="notes", url_name="notes", **UNPAGED)
    def notes(self, request, pk=None):
        if request.method == "GET":
            case = self.get_case()
            return Response(NoteSerializer(selectors.case_notes(user=request.user, case=case), many=True).data)
        values = self._input(inputs.NoteInput)
        case = self.get_case()
        if values.get("expected_version") is None:
            values.pop("expected_version", None)
        note = note_services.note_record(case=case, by=request.user, **values)
        return Response(NoteSerializer(note).data, status=201)

    @case_action(
        "respite",
        inputs.RespiteGrantInput,
        "Grant respite",
        "Asks the corporation to pause collection (default 30 days); always shared with the corporation.",
        {"until": "2026-11-14", "text": "Household accepted help and pays the current rent."},
    )
    def respite(self, request, pk=None):
        return self._run(respite_services.respite_grant, inputs.RespiteGrantInput)

    @case_action(
        "respite-extend",
        inputs.RespiteExtendInput,
        "Extend respite",
        "A later end date, with a note.",
        {"until": "2026-12-14", "text": "Debt help application in progress."},
        url_path="respite/extend",
    )
    def respite_extend(self, request, pk=None):
        return self._run(respite_services.respite_extend, inputs.RespiteExtendInput)

    @case_action(
        "respite-end",
        inputs.RespiteEndInput,
        "End respite",
        "Collection may resume; with a note.",
        {"text": "Household stopped paying the current rent."},
        url_path="respite/end",
    )
    def respite_end(self, request, pk=None):
        return self._run(respite_services.respite_end, inputs.RespiteEndInput)

    @case_action(
        "respite-acknowledgement",
        inputs.EmptyInput,
        "Acknowledge respite",
        "The corporation confirms it paused collection until the respite's end; the social service sees it "
        "(docs/adr/0082). Only while a respite runs that the corporation has not confirmed yet.",
        {},
    )
    def respite_acknowledgement(self, request, pk=None):
        return self._run(respite_services.respite_acknowledge, inputs.EmptyInput)

    @extend_schema(
        summary="Assign several cases",
        description="To one colleague (managers). Answers how many were assigned.",
        request=inputs.BulkAssignInput,
        responses={200: inputs.BulkAssignResult},
        examples=[
            request({"cases": [903, 904, 911], "assignee": "drechtwonen-caseworker2"}),
            response({"assigned": 3}),
        ],
    )
    @action(detail=False, methods=["post"], url_path="bulk-assign", url_name="bulk-assign", **UNPAGED)
    def bulk_assign(self, request):
        values = self._input(inputs.BulkAssignInput)
        cases = list(self.get_queryset().filter(pk__in=values["cases"]))
        missing = sorted(set(values["cases"]) - {case.pk for case in cases})
        if missing:
            raise ValidationError(
                {"cases": [_("No case you may see has the id %(ids)s.") % {"ids": ", ".join(map(str, missing))}]}
            )
        assigned = case_services.case_bulk_assign(cases=cases, assignee=values["assignee"], by=request.user)
        return Response({"assigned": assigned})
