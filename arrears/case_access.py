"""Access follows the case (docs/adr/0021, 0025): the case app's half of the access policy.

Who may see a case is *derived* from the case and its referrals (:func:`case_levels`), never set by
hand: :func:`sync_case_access` computes the wanted rows for a set of cases and inserts and deletes the
difference in bulk. Routing, referrals and take-up call it after they change a case; the
``sync_permissions`` command calls it for every case. The groups the rows go to, and the reads that
check them, are :mod:`partners.access`.
"""

from collections import defaultdict
from enum import IntEnum

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q
from guardian.utils import get_group_obj_perms_model

from arrears.models import Case, Referral
from households.models import Household
from partners.access import CASE_ROLES, group_name, partner_group
from partners.models import Partner

VIEW_CASE = "view_case"
WORK_CASE = "work_case"
VIEW_HOUSEHOLD = "view_household"


class Level(IntEnum):
    """How much of one case a partner may see and do."""

    NONE = 0
    SIGNAL = 1  # sees the case with docs/domain.md §7's signal fields only (a referral waiting for an answer)
    WORK = 2  # works the case, still with the signal fields only (signalled, not yet taken up)
    FULL = 3  # works the case and sees the household in full (own tenant, taken up, referral accepted)


CASE_PERMS = {Level.SIGNAL: (VIEW_CASE,), Level.WORK: (VIEW_CASE, WORK_CASE), Level.FULL: (VIEW_CASE, WORK_CASE)}
HOUSEHOLD_PERMS = {Level.FULL: (VIEW_HOUSEHOLD,)}
REFERRAL_PENDING = Referral.Status.PENDING
BATCH = 2000


# --- Writes: derived object permissions, synced in bulk ------------------------------------------


def case_levels(cases, referrals) -> dict[int, dict[int, Level]]:
    """The access policy: ``{case_id: {partner_id: Level}}``. Access follows the case (docs/adr/0025).

    ``cases``: rows ``(id, corporation_id, queue_partner_id, taken_up_at[, consent_lost])``
    (``consent_lost``: :data:`CONSENT_LOST`, false when the row has no fifth value);
    ``referrals``: rows ``(case_id, to_partner_id, status)``.

    - the case's corporation: FULL, always (its own tenant; it follows the case after routing);
    - the social service whose queue the case is in: WORK, FULL once it has taken the signal up —
      unless it has the case only through a consent that was withdrawn since (docs/adr/0084): then WORK,
      which reads what the signal carries;
    - a social service a referral *waits* on: SIGNAL (to answer it).
    Anyone else: nothing. An accepted referral grants nothing of its own: accepting puts the case in the
    social service's queue, taken up, and the queue gives FULL for as long as the case stays there. Once
    the social service hands the case back or re-routes it, it is no longer the queue partner and keeps
    nothing of the corporation's (what it recorded itself stays readable through
    ``arrears.selectors.own_file``, which needs no permission row). Another corporation: never.
    """
    levels: dict[int, dict[int, Level]] = defaultdict(dict)
    for case_id, corporation_id, queue_partner_id, taken_up_at, *rest in cases:
        levels[case_id][corporation_id] = Level.FULL
        if queue_partner_id != corporation_id:
            full = taken_up_at and not (rest and rest[0])
            levels[case_id][queue_partner_id] = Level.FULL if full else Level.WORK
    for case_id, to_partner_id, status in referrals:
        if case_id not in levels or status != REFERRAL_PENDING:
            continue
        levels[case_id][to_partner_id] = max(levels[case_id].get(to_partner_id, Level.NONE), Level.SIGNAL)
    return levels


#: The case entered its social service's queue by a warm handover and the household withdrew that
#: consent since (``services.referrals.consent_withdraw``): the consent was the only way in (docs/adr/0084).
CONSENT_LOST = Q(consent_withdrawn_on__isnull=False, routing_decision="referral")


def case_rows(queryset, *fields):
    """``queryset``'s rows for :func:`case_levels`: ``fields`` (its first four columns, in that order,
    possibly after others) and ``consent_lost``."""
    return queryset.annotate(consent_lost=ExpressionWrapper(CONSENT_LOST, output_field=BooleanField())).values_list(
        *fields, "consent_lost"
    )


def grant_case_access(*, corporation: Partner, case_ids) -> None:
    """Access for newly flagged cases (kept for the import seam); see :func:`sync_case_access`."""
    sync_case_access(case_ids=case_ids)


def sync_case_access(*, case_ids=None) -> dict[str, int]:
    """Make the case and household permission rows exactly what :func:`case_levels` says.

    ``case_ids=None`` re-syncs everything. Works per batch of households (a household's permissions
    follow from all its cases); returns how many rows were added and removed.
    """
    if case_ids is None:
        household_ids = list(Case.objects.order_by("household_id").values_list("household_id", flat=True).distinct())
    else:
        case_ids = list(case_ids)
        found = set()
        for start in range(0, len(case_ids), BATCH):
            chunk = case_ids[start : start + BATCH]
            found.update(Case.objects.filter(pk__in=chunk).values_list("household_id", flat=True))
        household_ids = sorted(found)
    totals = {"added": 0, "removed": 0}
    for start in range(0, len(household_ids), BATCH):
        _add(totals, _sync_households(household_ids[start : start + BATCH]))
    return totals


def _add(totals, counts):
    for key, value in counts.items():
        totals[key] += value


def _sync_households(household_ids) -> dict[str, int]:
    rows = list(
        case_rows(
            Case.objects.filter(household_id__in=household_ids),
            "id",
            "household_id",
            "corporation_id",
            "queue_partner_id",
            "taken_up_at",
        )
    )
    household_of = {row[0]: row[1] for row in rows}
    referral_rows = Referral.objects.filter(case_id__in=list(household_of), status=REFERRAL_PENDING).values_list(
        "case_id", "to_partner_id", "status"
    )
    levels = case_levels([(c, corp, queue, taken, lost) for c, _h, corp, queue, taken, lost in rows], referral_rows)

    partner_ids = {partner_id for by_partner in levels.values() for partner_id in by_partner}
    groups = _groups_for(partner_ids)
    perm_ids = _permission_ids({Case: (VIEW_CASE, WORK_CASE), Household: (VIEW_HOUSEHOLD,)})

    wanted_case, wanted_household = set(), set()
    for case_id, by_partner in levels.items():
        for partner_id, level in by_partner.items():
            for group_id in groups[partner_id]:
                for codename in CASE_PERMS.get(level, ()):
                    wanted_case.add((case_id, group_id, perm_ids[Case, codename]))
                for codename in HOUSEHOLD_PERMS.get(level, ()):
                    wanted_household.add((household_of[case_id], group_id, perm_ids[Household, codename]))

    counts = {"added": 0, "removed": 0}
    for model, object_ids, wanted in (
        (Case, list(household_of), wanted_case),
        (Household, list(household_ids), wanted_household),
    ):
        added, removed = _apply(get_group_obj_perms_model(model), object_ids, wanted)
        counts["added"] += added
        counts["removed"] += removed
    return counts


def _apply(table, object_ids, wanted) -> tuple[int, int]:
    existing = {}
    for start in range(0, len(object_ids), BATCH):
        chunk = object_ids[start : start + BATCH]
        for pk, object_id, group_id, permission_id in table.objects.filter(content_object_id__in=chunk).values_list(
            "pk", "content_object_id", "group_id", "permission_id"
        ):
            existing[object_id, group_id, permission_id] = pk
    to_add = sorted(wanted - existing.keys())
    to_remove = [pk for key, pk in existing.items() if key not in wanted]
    _insert(table, to_add)
    for start in range(0, len(to_remove), BATCH):
        table.objects.filter(pk__in=to_remove[start : start + BATCH]).delete()
    return len(to_add), len(to_remove)


def _insert(table, rows) -> None:
    """Insert ``(object_id, group_id, permission_id)`` rows, skipping any that exist. On PostgreSQL one
    ``INSERT … SELECT unnest(…)`` per 20,000 rows (model instances cost more than the database does)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        table.objects.bulk_create(
            [table(content_object_id=o, group_id=g, permission_id=p) for o, g, p in rows],
            batch_size=1000,
            ignore_conflicts=True,
        )
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(table._meta.get_field(name).column) for name in ("content_object", "group", "permission"))
    sql = (
        f"INSERT INTO {quote(table._meta.db_table)} ({columns}) "  # noqa: S608 (names from the model, values bound)
        "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[]) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            objects, groups, permissions = zip(*rows[start : start + 20000], strict=True)
            cursor.execute(sql, [list(objects), list(groups), list(permissions)])


def _groups_for(partner_ids) -> dict[int, list[int]]:
    """``{partner_id: [group ids of CASE_ROLES]}``, creating missing groups."""
    partners = {p.pk: p for p in Partner.objects.filter(pk__in=partner_ids)}
    names = {group_name(p, role): (pk, role) for pk, p in partners.items() for role in CASE_ROLES}
    found = dict(Group.objects.filter(name__in=names).values_list("name", "pk"))
    for name, (partner_id, role) in names.items():
        if name not in found:
            found[name] = partner_group(partners[partner_id], role).pk
    result = defaultdict(list)
    for name, (partner_id, _role) in names.items():
        result[partner_id].append(found[name])
    return result


def _permission_ids(wanted) -> dict:
    result = {}
    for model, codenames in wanted.items():
        content_type = ContentType.objects.get_for_model(model)
        for codename, pk in Permission.objects.filter(content_type=content_type, codename__in=codenames).values_list(
            "codename", "pk"
        ):
            result[model, codename] = pk
    return result
