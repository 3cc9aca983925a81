import json

import pytest
from django.core.management import CommandError, call_command

from ledger.models import ImportProfile, LedgerImport

pytestmark = pytest.mark.django_db

GOOD = "Contractnummer;Saldo;Oudste vervaldatum\nHC1;800,00;01-09-2026\nHC404;1,00;\n"


def test_imports_files_prints_a_summary_and_json_on_the_last_line(corp, tenancy, tmp_path, capsys):
    path = tmp_path / "achterstand-2026-10-31.csv"
    path.write_text(GOOD)
    call_command("import_ledger", "--partner", "drechtwonen", "--json", str(path))
    out, err = capsys.readouterr()
    result = json.loads(out.strip().splitlines()[-1])
    assert {k: result[k] for k in ("rows", "tenancies", "rejected_rows", "new_signals", "updated_signals")} == {
        "rows": 2, "tenancies": 1, "rejected_rows": 1, "new_signals": 1, "updated_signals": 0,
    }  # fmt: skip
    assert result["closed_signals"] == 0 and result["status"] == "succeeded"
    assert result["errors"] == [
        {"line": 3, "column": "Contractnummer", "value": "HC404", "reason": result["errors"][0]["reason"],
         "code": "unknown_contract", "rejected": True, "file": path.name}
    ]  # fmt: skip
    assert "achterstand-2026-10-31.csv" in err  # the human summary goes to stderr with --json
    # again: already imported, nothing changes, still success
    call_command("import_ledger", "--partner", "drechtwonen", str(path))
    out, _err = capsys.readouterr()
    assert "already imported" in out
    assert LedgerImport.objects.count() == 1


def test_a_rejected_file_exits_non_zero_with_the_reason(corp, tmp_path, capsys):
    path = tmp_path / "kapot.csv"
    path.write_text("Contractnummer;Huurder\nHC1;A\n")
    with pytest.raises(SystemExit) as info:
        call_command("import_ledger", "--partner", "drechtwonen", "--json", str(path))
    assert info.value.code == 1
    out, err = capsys.readouterr()
    result = json.loads(out.strip().splitlines()[-1])
    assert result["status"] == "failed" and result["imports"][0]["status"] == "rejected"
    assert "Saldo" in result["imports"][0]["message"] and "Saldo" in err


def test_a_file_refused_at_intake_is_rejected_with_exit_1_not_a_usage_error(corp, tmp_path, capsys):
    """A file the intake check refuses (here a program, not a ledger) is a rejected file like any other
    (the docstring's exit 1, with its JSON), not a usage error."""
    path = tmp_path / "x.csv"
    path.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 4)
    with pytest.raises(SystemExit) as info:
        call_command("import_ledger", "--partner", "drechtwonen", "--json", str(path))
    assert info.value.code == 1
    out, err = capsys.readouterr()
    result = json.loads(out.strip().splitlines()[-1])
    assert result["status"] == "failed" and result["imports"][0]["status"] == "rejected"
    assert result["imports"][0]["id"] is None and "x.csv" in result["imports"][0]["message"] and "x.csv" in err
    assert not LedgerImport.objects.exists()


def test_an_import_whose_error_values_are_purged_reports_their_positions(corp, tenancy, tmp_path, capsys):
    """Sent again after its window, an import's errors have no values any more (ADR 0072): the
    command still says where they were."""
    path = tmp_path / "achterstand-2026-10-31.csv"
    path.write_text(GOOD)
    call_command("import_ledger", "--partner", "drechtwonen", str(path))
    ledger_import = LedgerImport.objects.get()
    ledger_import.errors = [{k: v for k, v in e.items() if k != "value"} for e in ledger_import.errors]
    ledger_import.save(update_fields=["errors"])
    capsys.readouterr()
    call_command("import_ledger", "--partner", "drechtwonen", str(path))
    out, _err = capsys.readouterr()
    assert "already imported" in out and "line 3, Contractnummer:" in out and "HC404" not in out


def test_usage_errors(corp, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(GOOD)
    with pytest.raises(CommandError, match="Unknown partner"):
        call_command("import_ledger", "--partner", "nope", str(path))
    with pytest.raises(CommandError, match="no import profile"):
        call_command("import_ledger", "--partner", "drechtwonen", "--profile", "x", str(path))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_ledger", "--partner", "drechtwonen", str(tmp_path / "missing.csv"))


def test_profile_and_as_of_options(corp, tenancy, tmp_path, capsys):
    ImportProfile.objects.create(partner=corp, name="lijst", shape=ImportProfile.Shape.SNAPSHOT)
    path = tmp_path / "x.csv"
    path.write_text(GOOD)
    call_command("import_ledger", "--partner", "drechtwonen", "--profile", "lijst", "--as-of", "2026-11-02", str(path))
    imp = LedgerImport.objects.get()
    assert imp.profile.name == "lijst" and str(imp.as_of) == "2026-11-02" and imp.source == "command"
    assert "imported" in capsys.readouterr().out
