"""The actions on a case, in one table: which form each shows, when it is offered, and which service it
calls. The services (``arrears.services.*``, docs/architecture.md "Services") decide what is allowed and say
why not; where a service has a ``*_check``, this page offers the action exactly where that check
passes, so the page and the API cannot drift apart. This module otherwise only decides what to offer
and what to tell the user afterwards."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from arrears import checklist, outcomes, routing, selectors
from arrears.forms import case as case_forms
from arrears.models import EvictionStep, Referral
from arrears.services import cases, notes, referrals, respite
from arrears.services.base import allows
from arrears.workflow import CaseState
from partners.models import Partner
from partners.templatetags.tijdig import format_date, format_euro


@dataclass
class CaseView:
    """What the signed-in user is to this case; decides which actions are offered."""

    case: object
    user: object
    membership: object
    partner_ids: set

    @property
    def partner(self):
        return self.membership.partner if self.membership else None

    @property
    def holds_queue(self):
        return self.case.queue_partner_id in self.partner_ids

    @property
    def is_corporation(self):
        return self.case.corporation_id in self.partner_ids

    @property
    def is_social_service(self):
        return self.partner is not None and self.partner.kind == Partner.Kind.SOCIAL_SERVICE

    @property
    def is_manager(self):
        return self.membership is not None and self.membership.role == "manager"

    @property
    def is_open(self):
        return self.case.is_open


@dataclass
class Action:
    name: str
    form: Callable  # (view, data) -> form
    offered: Callable  # (view, context) -> bool
    run: Callable  # (view, form) -> message


def _version(form):
    return form.cleaned_data.get("expected_version")


def _pending_to_me(view):
    return Referral.objects.filter(
        case=view.case, to_partner_id__in=view.partner_ids, status=Referral.Status.PENDING
    ).select_related("from_partner")


# --- run: call the service, return the message --------------------------------------------------


def _claim(view, form):
    cases.case_claim(case=view.case, by=view.user, expected_version=_version(form))
    return _("You claimed this case: it is in your name now.")


def _release(view, form):
    cases.case_release(case=view.case, by=view.user, expected_version=_version(form))
    return _("You released this case: it is unassigned again.")


def _assign(view, form):
    assignee = form.cleaned_data["assignee"]
    cases.case_assign(case=view.case, assignee=assignee, by=view.user, expected_version=_version(form))
    return _("Case assigned to %(name)s.") % {"name": assignee.get_full_name() or assignee.username}


def _contact(view, form):
    data = form.cleaned_data
    cases.contact_attempt_record(
        case=view.case,
        by=view.user,
        kind=data["kind"],
        reached=data["reached"],
        date=data["date"],
        part_of_day=data["part_of_day"],
        outcome=data["outcome"],
        expected_version=_version(form),
    )
    kind = dict(form.fields["kind"].choices)[data["kind"]]
    if data["reached"]:
        return _("Contact attempt (%(kind)s, %(date)s) logged: household reached.") % {
            "kind": kind,
            "date": format_date(data["date"]),
        }
    return _("Contact attempt (%(kind)s, %(date)s) logged: household not reached.") % {
        "kind": kind,
        "date": format_date(data["date"]),
    }


def _note(view, form):
    shareable = form.cleaned_data["shareable"]
    notes.note_record(
        case=view.case,
        by=view.user,
        text=form.cleaned_data["text"],
        shareable=shareable,
        expected_version=_version(form),
    )
    if shareable:
        return _("Note added and shared with the other partner.")
    return _("Note added (only your organisation sees it).")


def _checklist(view, form):
    steps = form.cleaned_data["steps"]
    cases.checklist_record_steps(
        case=view.case,
        by=view.user,
        steps=steps,
        respite_reason=form.cleaned_data["respite_reason"],
        expected_version=_version(form),
    )
    done = "; ".join(f"{checklist.label_for(item)} ({format_date(date)})" for item, date in steps.items())
    return ngettext("Step recorded: %(steps)s.", "Steps recorded: %(steps)s.", len(steps)) % {"steps": done}


def _objection(view, form):
    date = form.cleaned_data["date"]
    cases.objection_record(
        case=view.case, by=view.user, date=date, reason=form.cleaned_data["reason"], expected_version=_version(form)
    )
    return _("The household's objection of %(date)s is recorded: the case will not be signalled.") % {
        "date": format_date(date)
    }


def _refer(view, form):
    data = form.cleaned_data
    referrals.referral_create(
        case=view.case,
        by=view.user,
        to_partner=data["to_partner"],
        consent_on=data["consent_on"],
        consent_how=data["consent_how"],
        reason=data["reason"],
        expected_version=_version(form),
    )
    return _("Referred to %(partner)s. They will accept or decline the referral.") % {"partner": data["to_partner"]}


def _consent_withdraw(view, form):
    date = form.cleaned_data["date"]
    referrals.consent_withdraw(case=view.case, by=view.user, date=date, expected_version=_version(form))
    return _("The withdrawal of consent of %(date)s is recorded: the warm handover no longer counts.") % {
        "date": format_date(date)
    }


def _referral_accept(view, form):
    referral = form.cleaned_data["referral"]
    referrals.referral_accept(
        referral=referral, by=view.user, reason=form.cleaned_data["reason"], expected_version=_version(form)
    )
    return _("You accepted the referral from %(partner)s.") % {"partner": referral.from_partner}


def _referral_decline(view, form):
    referral = form.cleaned_data["referral"]
    referrals.referral_decline(
        referral=referral, by=view.user, reason=form.cleaned_data["reason"], expected_version=_version(form)
    )
    return _("You declined the referral from %(partner)s.") % {"partner": referral.from_partner}


def _private_note(view, form):
    """The respite form's private note (docs/adr/0082): a note of the social service's own, never shared."""
    text = form.cleaned_data.get("private_note", "").strip()
    if text:
        notes.note_record(case=view.case, by=view.user, text=text, shareable=False)


@transaction.atomic
def _respite_grant(view, form):
    respite.respite_grant(
        case=view.case,
        by=view.user,
        until=form.cleaned_data["until"],
        text=form.cleaned_data["text"],
        expected_version=_version(form),
    )
    _private_note(view, form)
    return _("Respite granted: the corporation pauses collection.")


@transaction.atomic
def _respite_extend(view, form):
    until = form.cleaned_data["until"]
    respite.respite_extend(
        case=view.case, by=view.user, until=until, text=form.cleaned_data["text"], expected_version=_version(form)
    )
    _private_note(view, form)
    return _("Respite extended until %(date)s.") % {"date": format_date(until)}


@transaction.atomic
def _respite_end(view, form):
    respite.respite_end(case=view.case, by=view.user, text=form.cleaned_data["text"], expected_version=_version(form))
    _private_note(view, form)
    return _("Respite ended: the corporation may resume collection.")


def _respite_acknowledge(view, form):
    note = respite.respite_acknowledge(case=view.case, by=view.user, expected_version=_version(form))
    return _("You confirmed that collection is paused until %(date)s.") % {"date": format_date(note.respite_until)}


def _arrangement(view, form):
    data = form.cleaned_data
    cases.payment_arrangement_record(
        case=view.case,
        by=view.user,
        monthly_amount=data["monthly_amount"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        note=data["note"],
        expected_version=_version(form),
    )
    return _("Payment arrangement of %(amount)s a month from %(date)s recorded.") % {
        "amount": format_euro(data["monthly_amount"]),
        "date": format_date(data["start_date"]),
    }


def _eviction(view, form):
    data = form.cleaned_data
    cases.eviction_step_record(
        case=view.case,
        by=view.user,
        kind=data["kind"],
        date=data["date"],
        note=data["note"],
        respite_reason=data["respite_reason"],
        expected_version=_version(form),
    )
    return _("Eviction step “%(step)s” of %(date)s recorded.") % {
        "step": EvictionStep.Kind(data["kind"]).label,
        "date": format_date(data["date"]),
    }


def _take_up(view, form):
    cases.case_take_up(case=view.case, by=view.user, expected_version=_version(form))
    return _("You took up this signal and work on it now: the corporation is told that help was taken up.")


def _close(view, form):
    chosen = {form.outcomes.field: form.cleaned_data[form.outcomes.field]}
    cases.case_close(
        case=view.case, by=view.user, reason=form.cleaned_data["reason"], expected_version=_version(form), **chosen
    )
    if form.outcomes is outcomes.DDAS:
        return _("Case closed with final result “%(outcome)s”.") % {"outcome": outcomes.label(**_both(chosen))}
    return _("Case closed with outcome “%(outcome)s”.") % {"outcome": outcomes.label(**_both(chosen))}


def _both(chosen):
    return {field: chosen.get(field, "") for field in outcomes.FIELDS}


# --- the table ----------------------------------------------------------------------------------


def _plain(name):
    return lambda view, data: case_forms.EmptyActionForm(data, case=view.case, auto_id=f"id_%s_{name}")


def _take_up_offered(view, context):
    return view.is_social_service and view.holds_queue and view.case.state == CaseState.SIGNALLED


def _service_allows(check):
    """Offered where the service's own check lets this user do it on this case now."""
    return lambda view, ctx: allows(check, case=view.case, by=view.user)


ACTIONS = {
    action.name: action
    for action in [
        Action(
            "claim",
            _plain("claim"),
            # One action per intent (docs/adr/0091): where the social service can take the signal up,
            # taking it up is how it claims it (``case_take_up`` makes the caller its assignee).
            lambda v, c: v.is_open and v.holds_queue and v.case.assignee_id is None and not _take_up_offered(v, c),
            _claim,
        ),
        Action("release", _plain("release"), _service_allows(cases.case_release_check), _release),
        Action(
            "assign",
            lambda v, data: case_forms.AssignForm(
                data, case=v.case, assignees=selectors.assignable_users(user=v.user, partner=v.case.queue_partner)
            ),
            lambda v, c: v.is_open and v.holds_queue and v.is_manager,
            _assign,
        ),
        Action(
            "contact",
            lambda v, data: case_forms.ContactAttemptForm(data, case=v.case),
            lambda v, c: v.is_open and (v.holds_queue or v.is_corporation),
            _contact,
        ),
        Action(
            "note",
            lambda v, data: case_forms.NoteForm(data, case=v.case),
            _service_allows(notes.note_check),
            _note,
        ),
        Action(
            "checklist",
            lambda v, data: case_forms.ChecklistForm(
                data,
                case=v.case,
                ledger_reminder=None if v.case.reminder_sent_on else routing.ledger_reminder_date(v.case),
            ),
            _service_allows(cases.checklist_check),
            _checklist,
        ),
        Action(
            "objection",
            lambda v, data: case_forms.ObjectionForm(data, case=v.case),
            _service_allows(cases.objection_check),
            _objection,
        ),
        Action(
            "refer",
            lambda v, data: case_forms.ReferralForm(
                data, case=v.case, targets=selectors.referral_targets(user=v.user, case=v.case)
            ),
            _service_allows(referrals.referral_create_check),
            _refer,
        ),
        Action(
            "consent_withdraw",
            lambda v, data: case_forms.ConsentWithdrawForm(data, case=v.case),
            _service_allows(referrals.consent_withdraw_check),
            _consent_withdraw,
        ),
        Action(
            "referral_accept",
            lambda v, data: case_forms.ReferralDecisionForm(
                data, case=v.case, referrals=_pending_to_me(v), auto_id="id_%s_accept"
            ),
            lambda v, c: bool(c["pending_to_me"]),
            _referral_accept,
        ),
        Action(
            "referral_decline",
            lambda v, data: case_forms.ReferralDecisionForm(
                data, case=v.case, referrals=_pending_to_me(v), reason_required=True, auto_id="id_%s_decline"
            ),
            lambda v, c: bool(c["pending_to_me"]),
            _referral_decline,
        ),
        Action(
            "respite_grant",
            lambda v, data: case_forms.RespiteForm(data, case=v.case, mode="grant", auto_id="id_%s_grant"),
            lambda v, c: v.is_open and v.is_social_service and v.holds_queue and not c["in_respite"],
            _respite_grant,
        ),
        Action(
            "respite_extend",
            lambda v, data: case_forms.RespiteForm(data, case=v.case, mode="extend", auto_id="id_%s_extend"),
            lambda v, c: v.is_open and v.is_social_service and v.holds_queue and c["in_respite"],
            _respite_extend,
        ),
        Action(
            "respite_end",
            lambda v, data: case_forms.RespiteForm(data, case=v.case, mode="end", auto_id="id_%s_end"),
            lambda v, c: v.is_open and v.is_social_service and v.holds_queue and c["in_respite"],
            _respite_end,
        ),
        Action(
            "respite_acknowledge",
            _plain("respite_acknowledge"),
            _service_allows(respite.respite_acknowledge_check),
            _respite_acknowledge,
        ),
        Action(
            "arrangement",
            lambda v, data: case_forms.PaymentArrangementForm(data, case=v.case),
            _service_allows(cases.payment_arrangement_check),
            _arrangement,
        ),
        Action(
            "eviction",
            lambda v, data: case_forms.EvictionStepForm(data, case=v.case),
            _service_allows(cases.eviction_step_check),
            _eviction,
        ),
        Action("take_up", _plain("take_up"), _take_up_offered, _take_up),
        Action(
            "close",
            # The list of outcomes of the partner the user acts for (arrears.outcomes), as in the API.
            lambda v, data: case_forms.CloseForm(data, case=v.case, partner=v.partner or v.case.queue_partner),
            lambda v, c: v.is_open and v.holds_queue,
            _close,
        ),
    ]
}
