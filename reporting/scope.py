"""Whose figures: the cases, signals and referrals a partner's dashboard counts.

A corporation counts its own cases (``Case.corporation``). A social service counts the cases routed to
its queue (``Case.queue_partner``) or referred to it (``Referral.to_partner``), across all the
municipalities it covers. For aggregates this is the same set ``arrears.selectors.case_list`` gives
the partner's users; scoping by the partner columns keeps the queries plain joins.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from arrears.models import Case, Referral, Signal
from partners.models import Partner


@dataclass(frozen=True)
class Scope:
    partner: Partner

    @property
    def is_corporation(self):
        return self.partner.is_corporation

    def _referred_to_partner(self):
        return Referral.objects.filter(case=OuterRef("pk"), to_partner=self.partner)

    def cases(self):
        if self.is_corporation:
            return Case.objects.filter(corporation=self.partner)
        referred = Referral.objects.filter(to_partner=self.partner).values("case_id")
        return Case.objects.filter(Q(queue_partner=self.partner) | Q(pk__in=referred))

    def start(self):
        """When a case entered this partner's work: flagged (corporation); signalled or referred to it
        (social service)."""
        if self.is_corporation:
            return F("opened_at")
        first_referral = self._referred_to_partner().order_by("created_at").values("created_at")[:1]
        return Coalesce("signalled_at", Subquery(first_referral), "opened_at")

    def held(self, at):
        """The cases the partner *holds* at ``at``, which the stock figures count (open cases, respite,
        the workload per queue): a corporation all its cases, in its own queue or with a social service;
        a social service the cases in its queue and those whose referral to it was waiting for its answer
        at ``at``. For now, exactly what the queue lists (a corporation's "Everything I may see", a social
        service's "My queue"); for a past moment the queue is today's (ADR 0092)."""
        if self.is_corporation:
            return Q()
        waiting = Referral.objects.filter(case=OuterRef("pk"), to_partner=self.partner, created_at__lt=at).filter(
            Q(decided_at__isnull=True) | Q(decided_at__gte=at)
        )
        return Q(queue_partner=self.partner) | Exists(waiting)

    def signals(self):
        if self.is_corporation:
            return Signal.objects.filter(corporation=self.partner)
        return Signal.objects.filter(case__in=self.cases().values("pk"))

    def referrals(self):
        """Referrals this partner made or received."""
        return Referral.objects.filter(Q(from_partner=self.partner) | Q(to_partner=self.partner))
