from django.core.management.base import BaseCommand

from outreach.services import outreach_defaults_install
from partners.models import Partner


class Command(BaseCommand):
    help = "Create the default message templates (Dutch) for every partner, or the partners named by slug."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="partner slugs (default: every active partner)")

    def handle(self, *args, **options):
        partners = Partner.objects.filter(is_active=True)
        if options["slugs"]:
            partners = Partner.objects.filter(slug__in=options["slugs"])
        for partner in partners:
            made = outreach_defaults_install(partner)
            self.stdout.write(f"{partner.slug}: {len(made)} template(s) created")
