"""``python manage.py create_api_token <username> [--partner slug] [--name text] [--expires-in-days N]``

Prints the new token once; only its hash is stored."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partners.errors import DomainError
from partners.models import Partner
from partners.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user, scoped to one of the user's partners, and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--partner", help="Slug of the partner (needed when the user works for several).")
        parser.add_argument("--name", default="", help="What the token is for, e.g. 'ERP nightly export'.")
        parser.add_argument("--expires-in-days", type=int, default=None, help="Default: the token does not expire.")

    def handle(self, *args, username, partner, name, expires_in_days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        partner_obj = None
        if partner:
            partner_obj = Partner.objects.filter(slug=partner).first()
            if partner_obj is None:
                raise CommandError(f"No partner with slug {partner!r}.")
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be 1 or more.")
        expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        try:
            token, raw = api_token_create(user=user, partner=partner_obj, name=name[:100], expires_at=expires_at)
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(
            f"API token for {user.get_username()} at {token.partner.slug} (role from the membership); "
            "it is shown only now:"
        )
        self.stdout.write(raw)
