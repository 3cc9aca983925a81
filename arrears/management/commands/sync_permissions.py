"""Re-derive every object permission from the cases and referrals (``partners.access``), put every user
in exactly the groups of its memberships and give partner admin groups their model permissions.
Idempotent: a second run changes nothing."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from arrears import case_access
from partners import access


class Command(BaseCommand):
    help = "Re-sync django-guardian permissions from cases, referrals and memberships."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = get_user_model().objects.filter(memberships__isnull=False).distinct()
            for user in users:
                access.sync_user_groups(user)
            groups = access.sync_admin_model_permissions()
            counts = case_access.sync_case_access()
        self.stdout.write(
            f"users: {users.count()}, partner admin groups: {groups}, "
            f"object permissions added: {counts['added']}, removed: {counts['removed']}"
        )
