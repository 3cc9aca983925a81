"""Stable history: past weeks are read from ``WeeklyFigures``, the live week is computed on the fly.

The nightly task stores every completed week (of the last 52) that has no snapshot yet, once: a stored
week is never recomputed unless asked to (``replace=True``), so its figures stay as they were when the
week closed, also after the retention purge has removed the personal data behind them. A past week
without a snapshot yet (a new installation, before the first night) is computed on the fly and not
stored — reads never write.
"""

from django.db import transaction
from django.utils import timezone

from partners.models import Partner
from reporting.areas import AreaRow, parent_code
from reporting.figures import ADDITIVE, SPEED, WeekFigures, compute_week
from reporting.models import WeeklyFigures
from reporting.weeks import Week, current_week, last_weeks

HISTORY_WEEKS = 52
TOTAL = WeeklyFigures.Area.TOTAL


def _model_rows(figures: WeekFigures, computed_at):
    common = {"partner_id": figures.partner_id, "week_start": figures.week.start, "computed_at": computed_at}
    total = {name: figures.total[name] for name in ADDITIVE + SPEED}
    rows = [WeeklyFigures(area=TOTAL, outcomes=figures.total["outcomes"], **total, **common)]
    for area, area_rows in figures.areas.items():
        for row in area_rows:
            values = {name: row.figures[name] for name in ADDITIVE}
            rows.append(
                WeeklyFigures(area=area, area_code=row.code, area_name=row.name[:120], outcomes={}, **values, **common)
            )
    return rows


def _from_model_rows(partner_id, week, rows) -> WeekFigures:
    figures = WeekFigures(partner_id=partner_id, week=week, live=False, total={}, areas={})
    for row in rows:
        if row.area == TOTAL:
            figures.total = {name: getattr(row, name) for name in ADDITIVE + SPEED}
            figures.total["outcomes"] = dict(row.outcomes)
        else:
            figures.areas.setdefault(row.area, []).append(
                AreaRow(
                    row.area,
                    row.area_code,
                    row.area_name,
                    parent_code(row.area, row.area_code),
                    {name: getattr(row, name) for name in ADDITIVE},
                )
            )
    for area_rows in figures.areas.values():
        area_rows.sort(key=lambda row: (row.code == "", row.name, row.code))
    return figures


def snapshot_week(*, partner: Partner, week: Week, now=None, replace=False) -> bool:
    """Store a completed week's figures; ``False`` when they were already stored (and not replaced)."""
    now = now or timezone.now()
    if week.end_at > now:
        raise ValueError(f"week {week} has not ended yet")
    with transaction.atomic():
        Partner.objects.select_for_update().filter(pk=partner.pk).first()  # one snapshot writer per partner
        stored = WeeklyFigures.objects.filter(partner=partner, week_start=week.start)
        if not replace and stored.filter(area=TOTAL).exists():
            return False
        figures = compute_week(partner, week, now=now)
        stored.delete()
        WeeklyFigures.objects.bulk_create(_model_rows(figures, now))
    return True


def snapshot_missing(*, partner: Partner, weeks=HISTORY_WEEKS, now=None) -> int:
    """Store every completed week of the last ``weeks`` that has no snapshot yet; returns how many."""
    now = now or timezone.now()
    wanted = last_weeks(weeks, until=current_week(now).shifted(-1))
    stored = set(
        WeeklyFigures.objects.filter(
            partner=partner, area=TOTAL, week_start__in=[week.start for week in wanted]
        ).values_list("week_start", flat=True)
    )
    return sum(snapshot_week(partner=partner, week=week, now=now) for week in wanted if week.start not in stored)


def week_figures(partner: Partner, week: Week, *, now=None) -> WeekFigures:
    """One week with its areas: the live week computed, a past week from its snapshot."""
    now = now or timezone.now()
    if week.end_at <= now:
        rows = list(WeeklyFigures.objects.filter(partner=partner, week_start=week.start))
        if any(row.area == TOTAL for row in rows):
            return _from_model_rows(partner.pk, week, rows)
    return compute_week(partner, week, now=now)


def trend(partner: Partner, weeks: list[Week], *, now=None) -> list[WeekFigures]:
    """The partner's totals for each week (oldest first), without areas."""
    now = now or timezone.now()
    stored = {
        row.week_start: row
        for row in WeeklyFigures.objects.filter(
            partner=partner, area=TOTAL, week_start__in=[week.start for week in weeks]
        )
    }
    result = []
    for week in weeks:
        if week.end_at <= now and week.start in stored:
            result.append(_from_model_rows(partner.pk, week, [stored[week.start]]))
        else:
            result.append(compute_week(partner, week, now=now))
    return result
