"""The data migration that makes stored rules and agreements lawful before the switch goes (docs/adr/0023)."""

from partners.models import AuditEvent, RoutingRule

BEFORE = [("partners", "0003_api_tokens")]
AFTER = [("partners", "0005_remove_default_requires_checklist")]


def test_the_migration_deactivates_bypassing_rules_and_reports_every_change(capsys, migrator):
    old = migrator.migrate(BEFORE)
    Partner, Municipality = old.get_model("partners", "Partner"), old.get_model("partners", "Municipality")
    Agreement, Rule = old.get_model("partners", "Agreement"), old.get_model("partners", "RoutingRule")
    corporation = Partner.objects.create(slug="c", name="C", kind="corporation")
    service = Partner.objects.create(slug="s", name="S", kind="social_service")
    lenient = Agreement.objects.create(
        corporation=corporation,
        municipality=Municipality.objects.create(code="0505", name="Dordrecht"),
        social_service=service,
        default_requires_checklist=False,
    )
    strict = Agreement.objects.create(
        corporation=corporation,
        municipality=Municipality.objects.create(code="0590", name="Papendrecht"),
        social_service=service,
    )
    bypass = Rule.objects.create(
        agreement=lenient, name="Zonder checklist", destination="social_service", checklist_complete=False
    )
    late = Rule.objects.create(
        agreement=lenient, name="Laat", destination="social_service", min_days_overdue=101, mark_late=True
    )
    lawful = Rule.objects.create(
        agreement=strict, name="Compleet", destination="social_service", checklist_complete=True
    )
    keep = Rule.objects.create(agreement=strict, name="Blijft", destination="corporation", checklist_complete=False)

    migrator.migrate(AFTER)

    rules = {rule.pk: rule for rule in RoutingRule.objects.all()}
    assert (rules[bypass.pk].is_active, rules[bypass.pk].checklist_complete) == (False, None)
    assert rules[late.pk].is_active and rules[lawful.pk].is_active and rules[keep.pk].checklist_complete is False
    reported = set(
        AuditEvent.objects.filter(channel="migration partners.0004_gate_lawful_rules").values_list(
            "object_type", "object_id"
        )
    )
    assert reported == {
        ("partners.RoutingRule", str(bypass.pk)),
        ("partners.RoutingRule", str(late.pk)),
        ("partners.Agreement", str(lenient.pk)),
    }
    printed = capsys.readouterr().out
    assert f"partners.RoutingRule {bypass.pk}: deactivated" in printed
    assert f"partners.Agreement {lenient.pk}:" in printed
