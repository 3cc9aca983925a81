"""The one module that grants and revokes access (docs/adr/0021).

Every (partner, role) pair has one auth group, ``<slug>:<role>``; a membership puts its user in that
group and nothing else. Object permissions (django-guardian, in its direct foreign-key tables) are
granted to these groups only, never to single users, and only here.

Who may see a case is derived from the case and its referrals in :mod:`arrears.case_access`, the case
app's half of this policy; this module knows partners, roles and groups, and no model above it.

Reads go through :func:`objects_for_user` (an ``EXISTS`` on the direct table: a fast join, the
equivalent of guardian's ``get_objects_for_user`` without global or superuser permissions).
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from guardian.utils import get_group_obj_perms_model

from partners.models import MEMBERSHIPS_CACHE, Membership, Partner, Role

#: Roles whose groups receive their partner's object permissions. A partner admin manages users and
#: rules and sees no household data (need to know); a manager sees and assigns the partner's cases.
CASE_ROLES = (Role.CASEWORKER, Role.MANAGER)
#: Model permissions of every partner admin group, for the admin site (scoped to the own partner there).
ADMIN_MODEL_PERMS = (
    ("partners", "view_agreement"),
    ("partners", "change_agreement"),
    ("partners", "view_routingrule"),
    ("partners", "add_routingrule"),
    ("partners", "change_routingrule"),
    ("partners", "delete_routingrule"),
    ("partners", "view_auditevent"),
    # The partner's letter, e-mail and SMS templates (docs/adr/0095); existing groups: `manage.py sync_permissions`.
    ("outreach", "view_messagetemplate"),
    ("outreach", "add_messagetemplate"),
    ("outreach", "change_messagetemplate"),
    ("outreach", "delete_messagetemplate"),
)


# --- Groups -----------------------------------------------------------------------------------


def group_name(partner: Partner, role: str) -> str:
    return f"{partner.slug}:{Role(role).value}"


def partner_group(partner: Partner, role: str) -> Group:
    group, created = Group.objects.get_or_create(name=group_name(partner, role))
    if created and Role(role) == Role.ADMIN:
        group.permissions.add(*_admin_model_permissions())
    return group


def partner_groups(partner: Partner) -> dict[str, Group]:
    return {role.value: partner_group(partner, role) for role in Role}


def sync_user_groups(user) -> None:
    """Make the user's partner groups exactly those of its memberships."""
    wanted = {partner_group(m.partner, m.role) for m in Membership.objects.filter(user=user).select_related("partner")}
    current = {g for g in user.groups.all() if ":" in g.name}
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))


def sync_admin_model_permissions() -> int:
    """Give every partner admin group its model permissions (for groups made before they existed)."""
    perms = _admin_model_permissions()
    groups = [partner_group(p, Role.ADMIN) for p in Partner.objects.all()]
    for group in groups:
        group.permissions.add(*perms)
    return len(groups)


def _admin_model_permissions():
    return [
        Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in ADMIN_MODEL_PERMS
    ]


# --- Who the user is ----------------------------------------------------------------------------


def memberships_of(user) -> dict[int, Role]:
    """``{partner_id: Role}`` of the user's memberships: read once per user object (a request's user),
    forgotten when one of them is saved or deleted (``Membership.save``/``delete``)."""
    if user is None or not user.is_authenticated:
        return {}
    cached = user.__dict__.get(MEMBERSHIPS_CACHE)
    if cached is None:
        rows = Membership.objects.filter(user=user).values_list("partner_id", "role")
        cached = user.__dict__[MEMBERSHIPS_CACHE] = {partner_id: Role(role) for partner_id, role in rows}
    return cached


def partner_ids_for(user) -> set[int]:
    return set(memberships_of(user))


def case_partner_ids_for(user) -> frozenset[int]:
    """The partners whose cases the user reads (caseworkers and managers; a partner admin sees no
    households)."""
    return frozenset(pid for pid, role in memberships_of(user).items() if role in CASE_ROLES)


def role_in(user, partner_id) -> Role | None:
    """The user's role in that partner, or ``None``."""
    return memberships_of(user).get(partner_id)


# --- Reads: permission-filtered querysets ------------------------------------------------------


def _perm_exists(user, codename, model):
    table = get_group_obj_perms_model(model)
    return Exists(
        table.objects.filter(
            content_object=OuterRef("pk"),
            permission__codename=codename,
            permission__content_type=ContentType.objects.get_for_model(model),
            group__user=user,
        )
    )


def objects_for_user(user, codename: str, queryset):
    """``queryset`` narrowed to the objects on which one of the user's groups holds ``codename``.

    No global permissions and no superuser bypass: the platform administrator works in the Django admin,
    not in partners' queues.
    """
    if user is None or not user.is_authenticated:
        return queryset.none()
    return queryset.filter(_perm_exists(user, codename, queryset.model))


def user_has_perm(user, codename: str, obj) -> bool:
    if obj is None or obj.pk is None:
        return False
    return objects_for_user(user, codename, type(obj)._default_manager.filter(pk=obj.pk)).exists()
