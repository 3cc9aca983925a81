"""Who: the workload now, per caseworker of the partner's queue and per queue the partner's cases are in."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from arrears.workflow import OPEN_STATES
from partners.models import Partner
from reporting.figures import Moment, cases_with_start_date, open_at, overdue
from reporting.scope import Scope
from reporting.sql import without_jit
from reporting.weeks import current_week


def workload(partner: Partner, *, now=None):
    """``(per caseworker, per queue)``: lists of dicts, largest first; the unassigned cases as
    ``caseworker=None``."""
    scope = Scope(partner)
    moment = Moment.of(current_week(now), now)
    cases = cases_with_start_date(scope)
    is_open = open_at(moment)
    closed = Q(closed_at__gte=moment.week.start_at, closed_at__lt=moment.at)
    per_assignee = (
        cases.filter(queue_partner=partner)
        .filter(is_open | closed)
        .order_by()
        .values("assignee_id")
        .annotate(
            open_cases=Count("pk", filter=is_open),
            overdue=Count("pk", filter=overdue(scope, moment)),
            closed_this_week=Count("pk", filter=closed),
        )
    )
    with without_jit():
        per_assignee = list(per_assignee)
        per_queue = list(per_queue_query(cases.filter(scope.held(moment.at)), is_open))
    users = get_user_model().objects.in_bulk([row["assignee_id"] for row in per_assignee if row["assignee_id"]])
    caseworkers = [
        {
            "caseworker": users[row["assignee_id"]] if row["assignee_id"] else None,
            "open_cases": row["open_cases"],
            "overdue": row["overdue"],
            "closed_this_week": row["closed_this_week"],
        }
        for row in per_assignee
    ]
    caseworkers.sort(key=lambda row: (row["caseworker"] is None, -row["open_cases"], _name(row["caseworker"])))

    partners = Partner.objects.in_bulk([row["queue_partner_id"] for row in per_queue])
    queues = [{"queue": partners[row.pop("queue_partner_id")], **row} for row in per_queue]
    queues.sort(key=lambda row: (row["queue"] != partner, -row["open_cases"], row["queue"].name))
    return caseworkers, queues


def per_queue_query(cases, is_open):
    return (
        cases.filter(is_open)
        .order_by()
        .values("queue_partner_id")
        .annotate(open_cases=Count("pk"), **{state.value: Count("pk", filter=Q(state=state)) for state in OPEN_STATES})
    )


def _name(user):
    return "" if user is None else (user.get_full_name() or user.get_username())
