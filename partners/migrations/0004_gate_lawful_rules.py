"""Make every stored agreement and routing rule lawful before the switch goes (docs/adr/0023).

The Besluit art. 2 gate is no longer a setting. What this changes, row by row:

- a rule to the social service with "checklist complete: No" (it signalled *only* without the steps)
  cannot be made lawful by keeping its meaning: it is **deactivated** and its checklist condition
  cleared (reactivating it later gives a rule that signals once the checklist is complete);
- a rule to the social service with "checklist complete: empty" keeps its row; its meaning changes
  (it now waits for the checklist — e.g. the demo's late rule): reported, not written;
- an agreement with the switch ``default_requires_checklist`` off: its default now waits for the
  checklist too: reported (the column itself is removed by the next migration).

Each changed row is printed and recorded as an AuditEvent (user "system", channel
``migration partners.0004_gate_lawful_rules``, detail: what it was and what it is now), so the
platform administrator can see afterwards what the upgrade did. Works on SQLite and PostgreSQL.

Not undone on the way back: migrating backwards leaves the deactivated rules deactivated (and going
back past 0005 gives every agreement the switch on). A rollback that needs the old rows restores them
by hand from the audit events above, whose ``detail["was"]`` holds what each row was.
"""

import sys

from django.db import migrations

CHANNEL = "migration partners.0004_gate_lawful_rules"


def make_lawful(apps, schema_editor):
    Agreement = apps.get_model("partners", "Agreement")
    RoutingRule = apps.get_model("partners", "RoutingRule")
    AuditEvent = apps.get_model("partners", "AuditEvent")
    events = []

    def report(object_type, pk, detail):
        sys.stdout.write(f"\n  {object_type} {pk}: {detail['change']}")
        events.append(
            AuditEvent(
                username="system",
                action="change",
                object_type=object_type,
                object_id=str(pk),
                channel=CHANNEL,
                detail=detail,
            )
        )

    bypassing = RoutingRule.objects.filter(destination="social_service", checklist_complete=False)
    for rule in bypassing.order_by("pk"):
        report(
            "partners.RoutingRule",
            rule.pk,
            {
                "change": "deactivated: it signalled without the Besluit art. 2 checklist",
                "agreement_id": rule.agreement_id,
                "name": rule.name,
                "was": {"is_active": rule.is_active, "checklist_complete": False},
                "now": {"is_active": False, "checklist_complete": None},
            },
        )
    bypassing.update(is_active=False, checklist_complete=None)

    ungated = RoutingRule.objects.filter(destination="social_service", checklist_complete__isnull=True, is_active=True)
    for rule in ungated.order_by("pk"):  # the deactivated ones above are not active any more
        report(
            "partners.RoutingRule",
            rule.pk,
            {
                "change": "now waits for the Besluit art. 2 checklist before it signals",
                "agreement_id": rule.agreement_id,
                "name": rule.name,
                "was": {"checklist_complete": None, "meant": "signal with or without the checklist"},
                "now": {"checklist_complete": None, "meant": "signal once the checklist is complete"},
            },
        )

    for agreement in Agreement.objects.filter(default_requires_checklist=False).order_by("pk"):
        report(
            "partners.Agreement",
            agreement.pk,
            {
                "change": "the default now waits for the Besluit art. 2 checklist (the switch is removed)",
                "corporation_id": agreement.corporation_id,
                "municipality_id": agreement.municipality_id,
                "was": {"default_requires_checklist": False},
                "now": {"default_requires_checklist": "removed: always"},
            },
        )

    AuditEvent.objects.bulk_create(events)
    if events:
        sys.stdout.write(f"\n  {len(events)} agreement(s)/rule(s) made lawful, recorded in the audit trail ({CHANNEL}).")


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_api_tokens")]

    operations = [migrations.RunPython(make_lawful, migrations.RunPython.noop, elidable=False)]
