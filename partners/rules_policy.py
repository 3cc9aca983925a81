"""Who may change an agreement's routing rules, and who is told when they change (docs/adr/0024).

The rules decide what a corporation discloses to a social service, so the party that discloses owns
them and the party that receives cannot widen what it receives:

- the **platform administrator** (superuser) binds the pair: creates and deletes agreements and sets
  which corporation, municipality and social service they bind (and may repair anything);
- the **corporation's partner admin** owns its outgoing agreements: adds, changes and deletes their
  rules and changes the non-binding fields (default, late mark, deadlines);
- the **social service's partner admin** sees them read-only, and is told by e-mail whenever they
  change (:func:`rules_changed`); the change itself is in the audit trail;
- nobody else sees them.

Every surface that shows or edits agreements asks these predicates (today the Django admin; the API
has no agreement or rule endpoints). None of this can waive the Besluit art. 2 gate (docs/adr/0023).
"""

from django.db import transaction
from django.db.models import Q

from partners.models import Membership, Role
from partners.tasks import notify_rules_changed


def _admin_of(user, partner_id) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, partner_id=partner_id, role=Role.ADMIN).exists()


def is_platform_admin(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def can_bind(user) -> bool:
    """Create or delete agreements, or change which pair one binds: the platform administrator only."""
    return is_platform_admin(user)


def can_edit_rules(user, agreement) -> bool:
    """Add, change or delete the agreement's rules and change its non-binding fields."""
    return is_platform_admin(user) or _admin_of(user, agreement.corporation_id)


def can_view_rules(user, agreement) -> bool:
    """See the agreement and its rules (read-only unless :func:`can_edit_rules`)."""
    return can_edit_rules(user, agreement) or _admin_of(user, agreement.social_service_id)


def visible_agreements(user, queryset):
    """The agreements ``user`` may see: all for the platform administrator, else those where the user is
    partner admin of the corporation or of the social service."""
    if is_platform_admin(user):
        return queryset
    if user is None or not user.is_authenticated:
        return queryset.none()
    partner_ids = Membership.objects.filter(user=user, role=Role.ADMIN).values("partner_id")
    return queryset.filter(Q(corporation_id__in=partner_ids) | Q(social_service_id__in=partner_ids))


def rules_changed(*, agreement, by, changes) -> None:
    """Tell the social service's partner admins that ``agreement`` changed (after the commit).

    ``changes``: short lines naming what changed (field names, rule names), never personal data.
    """
    if not changes:
        return
    lines = [str(line) for line in changes]
    username = getattr(by, "username", "") or "system"
    transaction.on_commit(lambda: notify_rules_changed.delay(agreement.pk, lines, username))
