"""The one module that grants and revokes access.

Every (partner, role) pair has one auth group, ``<slug>:<role>``; a membership puts its user in that
group and nothing else. Object permissions (django-guardian) are granted to these groups only, never to
single users, and only by the functions here, called from the services that create, route or refer.
"""

from django.contrib.auth.models import Group

from .models import Membership, Partner, Role


def group_name(partner: Partner, role: str) -> str:
    return f"{partner.slug}:{Role(role).value}"


def partner_group(partner: Partner, role: str) -> Group:
    group, _ = Group.objects.get_or_create(name=group_name(partner, role))
    return group


def partner_groups(partner: Partner) -> dict[str, Group]:
    return {role.value: partner_group(partner, role) for role in Role}


def sync_user_groups(user) -> None:
    """Make the user's partner groups exactly those of its memberships."""
    wanted = {partner_group(m.partner, m.role) for m in Membership.objects.filter(user=user).select_related("partner")}
    current = {g for g in user.groups.all() if ":" in g.name}
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))


def grant_case_access(*, corporation: Partner, case_ids) -> None:
    """Give the corporation's groups access to newly flagged cases and their households.

    The routing issue replaces this with the full permission model (social services, referrals);
    the signature stays.
    """
    # Deliberately minimal until routing lands: selectors still scope by partner columns.
    return None
