"""The DDAS Vroegsignalering monitor export: valid against the national schema, the right content, audited."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from partners.models import AuditEvent
from reporting.ddas import DdasExportError, monitor_export, validation_errors

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
MARCH = {"date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 3, 31)}


@pytest.mark.parametrize("example", ["enkelvoudigVoorbeeld.json", "meervoudigVoorbeeld.json"])
def test_the_standards_own_examples_validate(example):
    assert validation_errors(json.loads((DATA / example).read_text(encoding="utf-8"))) == []


def test_schema_errors_say_where_and_why():
    document = json.loads((DATA / "enkelvoudigVoorbeeld.json").read_text(encoding="utf-8"))
    document["leveringen"][0]["vroegsignalen"][0]["bedrag"] = "450,00"
    del document["codeGegevensleverancier"]
    errors = validation_errors(document)
    assert "leveringen/0/vroegsignalen/0/bedrag: '450,00' is not of type 'integer'" in errors
    assert "(document): 'codeGegevensleverancier' is a required property" in errors


def test_export_of_a_municipality_validates_and_maps_the_vocabularies(fixed):
    document = monitor_export(municipality=fixed.zwijndrecht, **MARCH, now=dt.datetime(2026, 4, 2, 8, tzinfo=dt.UTC))
    assert validation_errors(document) == []
    assert document["startdatumLevering"] == "2026-03-01" and document["einddatumLevering"] == "2026-03-31"
    assert document["aanleverdatumEnTijd"] == "2026-04-02T08:00:00Z"
    (delivery,) = document["leveringen"]
    assert delivery["gemeentecode"] == "0642"
    assert delivery["aanleverende_organisatie"] == {"naam": "Sociale Dienst"}
    (signal,) = delivery["vroegsignalen"]
    household = fixed.cases.a9.household
    assert signal == {
        "ID": f"TIJDIG-{fixed.signals.s7.pk}",
        "crisissignaal": False,
        "warmeOverdracht": False,
        "bedrag": 501,  # € 500,50 in whole euros
        "ontstaansdatum": "2026-01-29",
        "signaaldatum": "2026-03-06",
        "signaalpartner": {"type": "Huur"},
        "client": {
            "Voorletters": "J.",
            "Voorvoegsel": "de",
            "Achternaam": household.surname,
            "Geboortedatum": "1980-05-17",
            "Straatnaam": "Voorstraat",
            "Postcode": "3311AA",
            "Huisnummer": str(household.house_number),
            "Plaatsnaam": "Dordrecht",
        },
    }  # taken up: no status
    (case,) = delivery["vroegsignaalzaken"]
    assert case == {
        "vroegsignalen": [{"ID": f"TIJDIG-{fixed.signals.s7.pk}"}],
        "contactpogingen": [
            {"soort": "Telefoon", "bereikt": False, "datum": "2026-03-09"},
            {"soort": "Huisbezoek", "bereikt": True, "datum": "2026-03-10", "dagdeel": "Middag"},
        ],
        "datum_opgepakt": "2026-03-10",
    }


def test_referred_signal_is_a_warm_handover_with_the_amount_of_that_day(fixed):
    document = monitor_export(municipality=fixed.world.dordrecht, **MARCH)
    assert validation_errors(document) == []
    signals = {item["ID"]: item for item in document["leveringen"][0]["vroegsignalen"]}
    # a6 (referred 03-03, accepted) and b1 (corporation B, referred 03-04; it has no arrears signal, so
    # no DDAS case); a7's referral was declined, a5's came in February.
    assert list(signals) == [f"TIJDIG-{fixed.signals.s4.pk}"]
    s4 = signals[f"TIJDIG-{fixed.signals.s4.pk}"]
    assert (s4["warmeOverdracht"], s4["signaaldatum"], s4["status"]) == (True, "2026-03-03", "Nog niet opgepakt")
    assert s4["bedrag"] == 1950  # the balance on 03-01, not today's 2000


@pytest.mark.parametrize(
    "closed_with",
    [
        {"outcome": "Inwoner is overleden"},
        # A corporation's own outcome with a DDAS meaning is exported as that final result (arrears.outcomes).
        {"corporation_outcome": "deceased"},
    ],
)
def test_a_closed_signal_not_taken_up_carries_its_reason(fixed, closed_with):
    a7 = fixed.cases.a7
    a7.queue_partner, a7.signalled_at = fixed.world.sd, dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
    a7.state, a7.closed_at = "closed", dt.datetime(2026, 3, 12, tzinfo=dt.UTC)
    for field, value in closed_with.items():
        setattr(a7, field, value)
    a7.save()
    document = monitor_export(municipality=fixed.world.dordrecht, **MARCH)
    statuses = {item["ID"]: item.get("status") for item in document["leveringen"][0]["vroegsignalen"]}
    assert statuses[f"TIJDIG-{fixed.signals.s5.pk}"] == "Inwoner is overleden"
    zaak = next(
        z
        for z in document["leveringen"][0]["vroegsignaalzaken"]
        if z["vroegsignalen"][0]["ID"].endswith(str(fixed.signals.s5.pk))
    )
    assert zaak["resultaat"] == "Inwoner is overleden"


@pytest.mark.parametrize(
    ("corporation_outcome", "resultaat"),
    [
        ("arrears_paid", "Inwoner heeft zelf al betaald/betalingsregeling getroffen"),
        ("arrangement_kept", "Inwoner heeft zelf al betaald/betalingsregeling getroffen"),
        ("moved_out", None),  # no DDAS meaning: no final result is claimed
    ],
)
def test_a_corporations_outcome_is_exported_as_its_ddas_meaning_or_not_at_all(fixed, corporation_outcome, resultaat):
    a7 = fixed.cases.a7
    a7.queue_partner, a7.signalled_at = fixed.world.sd, dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
    a7.state, a7.closed_at = "closed", dt.datetime(2026, 3, 12, tzinfo=dt.UTC)
    a7.corporation_outcome = corporation_outcome
    a7.save()
    document = monitor_export(municipality=fixed.world.dordrecht, **MARCH)
    assert validation_errors(document) == []
    zaak = next(
        z
        for z in document["leveringen"][0]["vroegsignaalzaken"]
        if z["vroegsignalen"][0]["ID"].endswith(str(fixed.signals.s5.pk))
    )
    assert zaak.get("resultaat") == resultaat


def test_every_export_is_audited_per_household(fixed):
    monitor_export(
        municipality=fixed.zwijndrecht, **MARCH, social_service=fixed.world.sd, user=fixed.managers.sd, channel="test"
    )
    events = AuditEvent.objects.filter(action="export").order_by("object_type")
    assert [(e.object_type, e.object_id, e.household_id, e.username, e.partner_id) for e in events] == [
        (
            "households.Household",
            str(fixed.cases.a9.household_id),
            fixed.cases.a9.household_id,
            "sanne",
            fixed.world.sd.pk,
        ),
        ("partners.Municipality", "0642", None, "sanne", fixed.world.sd.pk),
    ]
    assert events[1].detail["signals"] == 1 and events[0].detail["municipality"] == "0642"


def test_bad_periods_and_places_are_refused(fixed):
    with pytest.raises(DdasExportError, match="begint na het einde"):
        monitor_export(municipality=fixed.zwijndrecht, date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 3, 1))
    from partners.models import Municipality

    nowhere = Municipality.objects.create(code="0482", name="Alblasserdam")
    with pytest.raises(DdasExportError, match="Geen sociale dienst bedient Alblasserdam"):
        monitor_export(municipality=nowhere, **MARCH)
    assert not AuditEvent.objects.exists()


def test_command_writes_a_valid_file(fixed, tmp_path, capsys):
    target = tmp_path / "ddas.json"
    call_command(
        "ddas_export", "--municipality", "0642", "--from", "2026-03-01", "--to", "2026-03-31", "--output", target
    )
    document = json.loads(target.read_text(encoding="utf-8"))
    assert validation_errors(document) == [] and len(document["leveringen"][0]["vroegsignalen"]) == 1
    assert "1 signals" in capsys.readouterr().err
    event = AuditEvent.objects.get(channel="command ddas_export", object_type="partners.Municipality")
    assert event.username == "system" and event.detail["households"] == 1
    call_command("ddas_export", "--municipality", "0642", "--from", "2026-03-01", "--to", "2026-03-31")
    assert json.loads(capsys.readouterr().out)["leveringen"][0]["gemeentecode"] == "0642"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--municipality", "9999", "--from", "2026-03-01", "--to", "2026-03-31"], "no municipality"),
        (["--municipality", "0642", "--from", "01-03-2026", "--to", "2026-03-31"], "is not a date"),
        (["--municipality", "0642", "--from", "2026-04-01", "--to", "2026-03-31"], "begint na het einde"),
    ],
)
def test_command_errors(fixed, arguments, message, tmp_path):
    target = tmp_path / "out.json"
    with pytest.raises(CommandError, match=message):
        call_command("ddas_export", *arguments, "--output", target)
    assert not target.exists()
