"""Reads for the managers' dashboards: which partner's figures a user may see, and those figures.

Managers and partner admins see their own partner's figures only; caseworkers get no dashboard. The
figures themselves are anonymous aggregates scoped by partner (``reporting.scope``).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partners import access
from partners.models import Municipality, Partner, Role
from reporting import ddas, page

DASHBOARD_ROLES = (Role.MANAGER, Role.ADMIN)


def dashboard_partners(*, user):
    """The partners whose dashboard the user may open."""
    if not user.is_authenticated:
        return Partner.objects.none()
    return Partner.objects.filter(
        memberships__user=user, memberships__role__in=[role.value for role in DASHBOARD_ROLES]
    ).distinct()


def dashboard_partner(*, user, slug=None) -> Partner:
    """The partner to show: the one asked for (404 if not the user's), else the user's first.
    ``PermissionDenied`` when the user manages no partner at all."""
    partners = dashboard_partners(user=user).order_by("name")
    if slug:
        partner = partners.filter(slug=slug).first()
        if partner is None:
            raise Http404("No dashboard for this partner.")
        return partner
    partner = partners.first()
    if partner is None:
        raise PermissionDenied("Dashboards are for managers and partner admins.")
    return partner


def queue_links(*, user, partner) -> bool:
    """May the dashboard link its figures of now to the queue, with their exact number? For a manager whose
    one partner is this one: their queue lists exactly the cases the figures count (ADR 0092). Partner
    admins see no cases; a member of several partners sees all their cases in one queue."""
    return access.memberships_of(user) == {partner.pk: Role.MANAGER}


def dashboard(*, user, partner, weeks=13, week=None, groups=page.GROUPS, now=None):
    if not dashboard_partners(user=user).filter(pk=partner.pk).exists():
        raise Http404("No dashboard for this partner.")
    return page.build(partner, weeks=weeks, week=week, groups=groups, now=now)


def ddas_municipalities(*, user, partner):
    """The municipalities whose monitor export the user may download: those of the social service, for
    its managers. The export holds personal data, and partner admins see no households."""
    if not partner.is_social_service or not user.is_authenticated:
        return Municipality.objects.none()
    if not partner.memberships.filter(user=user, role=Role.MANAGER).exists():
        return Municipality.objects.none()
    return partner.municipalities.all().order_by("name")


def monitor_export_get(*, user, partner, municipality, date_from, date_to):
    """The monitor export for one of the social service's municipalities, audited as the user's export."""
    if not ddas_municipalities(user=user, partner=partner).filter(pk=municipality.pk).exists():
        raise Http404("No monitor export for this municipality.")
    return ddas.monitor_export(
        municipality=municipality,
        date_from=date_from,
        date_to=date_to,
        social_service=partner,
        user=user,
        channel="page dashboard_ddas",
    )
