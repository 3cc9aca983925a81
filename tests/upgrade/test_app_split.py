"""An installation of the release before the split (docs/adr/0080) upgrades without losing a row.

The database is taken back to the migrations of that release — every ledger, reporting and retention
model then belongs to ``arrears`` again, in Django's state and in the content types — and filled: the demo
world through the real import, plus the rows the move must carry (a permission and a guardian object
permission on a moved model, an audit event naming one). Migrating forward must keep every table's row
count, move the content types (same rows, so the permissions follow) and relabel the audit trail."""

import pytest
from django.core.management import call_command
from django.db import connection

#: The last migration of each app in the release before the split; the new apps did not exist.
BEFORE_SPLIT = [
    ("partners", "0005_remove_default_requires_checklist"),
    ("households", "0001_initial"),
    ("arrears", "0008_ledger_window_and_import_file_purge"),
    ("ledger", None),
    ("reporting", None),
    ("privacy", None),
]
MOVED = {
    "ledger": ["ImportProfile", "LedgerImport", "LedgerLine", "ArrearsState", "ArrearsSnapshot"],
    "reporting": ["WeeklyFigures"],
    "privacy": ["PurgeRun"],
}


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.postgres
def test_the_release_before_the_split_upgrades_without_losing_a_row(migrator):
    call_command("seed_demo", households=120, casework_households=120, force=True, verbosity=0)
    try:
        old = migrator.migrate(BEFORE_SPLIT)
        ContentType = old.get_model("contenttypes", "ContentType")
        Permission = old.get_model("auth", "Permission")
        Group = old.get_model("auth", "Group")
        GroupObjectPermission = old.get_model("guardian", "GroupObjectPermission")
        AuditEvent = old.get_model("partners", "AuditEvent")
        LedgerImport = old.get_model("arrears", "LedgerImport")  # in the old state the model is arrears'

        ledger_import = LedgerImport.objects.order_by("pk").first()
        assert ledger_import is not None
        content_type = ContentType.objects.get(app_label="arrears", model="ledgerimport")
        permission = Permission.objects.get(content_type=content_type, codename="view_ledgerimport")
        group = Group.objects.create(name="upgrade-test:admin")
        group.permissions.add(permission)
        object_permission = GroupObjectPermission.objects.create(
            group=group, permission=permission, content_type=content_type, object_pk=str(ledger_import.pk)
        )
        AuditEvent.objects.create(
            username="upgrade-test", action="view", object_type="arrears.LedgerImport", object_id=str(ledger_import.pk)
        )
        for app, names in MOVED.items():
            for name in names:
                assert ContentType.objects.filter(app_label="arrears", model=name.lower()).exists(), name
                assert not ContentType.objects.filter(app_label=app, model=name.lower()).exists(), name
        before = _row_counts()
        assert before["arrears_ledgerline"] > 0 and before["arrears_signal"] > 0 and before["arrears_weeklyfigures"] > 0
    finally:
        new = migrator.latest()

    after = _row_counts()
    before.pop("django_migrations"), after.pop("django_migrations")
    assert {table: after[table] for table in before} == before  # every table, every row
    # Tables of migrations after the split (the eviction track's) are created on the way and start empty.
    assert all(after[table] == 0 for table in set(after) - set(before))

    ContentType = new.get_model("contenttypes", "ContentType")
    for app, names in MOVED.items():
        for name in names:
            assert ContentType.objects.filter(app_label=app, model=name.lower()).count() == 1, name
            assert not ContentType.objects.filter(app_label="arrears", model=name.lower()).exists(), name
    moved = ContentType.objects.get(pk=content_type.pk)
    assert (moved.app_label, moved.model) == ("ledger", "ledgerimport")  # the same row: permissions follow
    Permission = new.get_model("auth", "Permission")
    assert Permission.objects.get(pk=permission.pk).content_type_id == content_type.pk
    GroupObjectPermission = new.get_model("guardian", "GroupObjectPermission")
    kept = GroupObjectPermission.objects.get(pk=object_permission.pk)
    assert (kept.content_type_id, kept.object_pk, kept.group_id) == (content_type.pk, str(ledger_import.pk), group.pk)
    AuditEvent = new.get_model("partners", "AuditEvent")
    assert AuditEvent.objects.filter(username="upgrade-test", object_type="ledger.LedgerImport").count() == 1
    assert not AuditEvent.objects.filter(object_type__startswith="arrears.LedgerImport").exists()

    from django.contrib.auth import get_user_model

    from ledger.models import LedgerImport as CurrentLedgerImport

    # The current code reads the moved rows and checks the moved permission by its new name.
    assert CurrentLedgerImport.objects.filter(pk=ledger_import.pk).exists()
    user = get_user_model().objects.create(username="upgrade-test-user")
    user.groups.add(group.pk)
    assert user.has_perm("ledger.view_ledgerimport")
