"""What each dashboard figure means, said once (ADR 0092).

The page shows a figure's definition beside it (the headline cards, the notes under the tables), the XLSX
export carries it as a comment on the column's header, and the API's headlines carry it as text. The
computations stay where they are (``figures.py`` for the weekly figures, ``monitor.py`` for reach and help
accepted, ``suppression.py`` for what is published); the text here describes exactly those.

The figures of *now* — open cases, households in respite, overdue — also name the queue filter that lists
the very cases they count (:meth:`Definition.queue_filter`), so a manager can follow the number to the
cases behind it. ``tests/reporting/test_definitions.py`` checks that the queue lists as many cases as the
figure counts.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from arrears.selectors.queue import QUEUE_ALL, QUEUE_MINE, QUEUE_OWN


@dataclass(frozen=True)
class Definition:
    key: str
    label: Promise
    corporation: Promise  # the definition on a corporation's dashboard
    social_service: Promise | None = None  # on a social service's, where it differs
    corporation_queue: dict | None = None  # the queue's filters that list the cases of *now*
    social_service_queue: dict | None = None

    def text(self, partner) -> str:
        text = self.social_service if (self.social_service and not partner.is_corporation) else self.corporation
        return str(text) % {"days": settings.TIJDIG["CONTACT_DEADLINE_WORKING_DAYS"]}

    def queue_filter(self, partner) -> dict | None:
        return self.corporation_queue if partner.is_corporation else self.social_service_queue

    def queue_url(self, partner, **more) -> str | None:
        """The queue, filtered to the cases this figure counts now; ``None`` for a figure without one."""
        filters = self.queue_filter(partner)
        if filters is None:
            return None
        query = urlencode({key: value for key, value in {**filters, **more}.items() if value != ""})
        return reverse("queue") + (f"?{query}" if query else "")


DEFINITIONS = {
    definition.key: definition
    for definition in (
        Definition(
            "new_signals",
            _("New cases"),
            _("Cases opened in the week for your tenants: an arrears episode crossed your trigger."),
            _("Cases that reached you in the week: routed to your queue or referred to you."),
        ),
        Definition(
            "open_cases",
            _("Open cases"),
            _(
                "Open cases of your tenants, in your own queue or with a social service, at the end of the week "
                "(now, for this week)."
            ),
            _(
                "Open cases in your queue and referrals waiting for your answer, at the end of the week (now, for "
                "this week)."
            ),
            corporation_queue={"queue": QUEUE_ALL},
            social_service_queue={"queue": QUEUE_MINE},
        ),
        Definition("cases_closed", _("Cases closed"), _("Cases closed in the week, each with its final result.")),
        Definition(
            "in_respite",
            _("Households in respite"),
            _("Open cases (as counted in open cases) whose respite runs at the end of the week (now, for this week)."),
            corporation_queue={"queue": QUEUE_ALL, "respite": "yes"},
            social_service_queue={"queue": QUEUE_MINE, "respite": "yes"},
        ),
        Definition(
            "overdue",
            _("Overdue now"),
            _(
                "Open cases in your own queue that had been there more than %(days)s working days without a "
                "contact attempt by you since they arrived, at the end of the week (now, for this week)."
            ),
            corporation_queue={"queue": QUEUE_OWN, "overdue": "1"},
            social_service_queue={"queue": QUEUE_OWN, "overdue": "1"},
        ),
        Definition(
            "arrears_total",
            _("Total arrears"),
            _("The amounts of the open arrears episodes at the end of the week, added up."),
        ),
        Definition(
            "share_in_time",
            _("Contacted within 5 working days (%)"),
            _(
                "Of the cases whose deadline of 5 working days passed in the week, the share with a contact "
                "attempt by then (from the rounded counts)."
            ),
        ),
        Definition(
            "days_to_attempt_p50",
            _("Days to first attempt (median)"),
            _(
                "Days from the case reaching you to the first contact attempt, for the cases whose first attempt "
                "fell in the week."
            ),
        ),
        Definition(
            "signalled",
            _("Households with a new case"),
            _("Households whose case was opened in the period (flagged by your trigger)."),
            _(
                "Households whose case reached you in the period: routed to your queue or referred to you (a "
                "pending or accepted referral) — the signals of the DDAS monitor export."
            ),
        ),
        Definition(
            "reach",
            _("Reach (%)"),
            _(
                "Of the households signalled in the period, the share with at least one successful contact "
                "attempt by you, so far."
            ),
            _(
                "Of the households signalled in the period, the share with at least one successful contact "
                "attempt by you (a DDAS contact attempt “reached”), so far."
            ),
        ),
        Definition(
            "help_accepted",
            _("Help accepted (%)"),
            _(
                "Of the households signalled in the period, the share that took help up: a social service took "
                "the case up, so far."
            ),
            _(
                "Of the households signalled in the period, the share that took help up: you took the case up "
                "(the DDAS export's date taken up), so far."
            ),
        ),
    )
}


def definition(key) -> Definition:
    return DEFINITIONS[key]
