"""Rent-ledger imports and what they tell about each tenancy's arrears."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from households.models import Tenancy
from ledger.importing.fields import validate_profile
from partners.models import Partner


class ImportProfile(models.Model):
    """How to read one corporation's ERP export. Editable by the partner admin."""

    class Shape(models.TextChoices):
        AUTO = "auto", _("Recognise from the column headers")
        SNAPSHOT = "snapshot", _("Arrears list (one row per tenancy)")
        TRANSACTIONS = "transactions", _("Transaction ledger (booking lines)")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="import_profiles")
    name = models.CharField(_("name"), max_length=100)
    shape = models.CharField(_("shape"), max_length=20, choices=Shape.choices, default=Shape.AUTO)
    column_mapping = models.JSONField(
        _("column mapping"),
        default=dict,
        blank=True,
        help_text=_(
            'Field name → column header in the file, e.g. {"contract_number": "Huurcontract"}. '
            "Fields not mapped are recognised from common Dutch and English headers."
        ),
    )
    delimiter = models.CharField(_("delimiter"), max_length=2, blank=True, help_text=_("Empty: detect."))
    decimal_separator = models.CharField(_("decimal separator"), max_length=1, blank=True)
    date_format = models.CharField(_("date format"), max_length=20, blank=True, help_text=_("e.g. %d-%m-%Y"))
    encoding = models.CharField(_("encoding"), max_length=20, blank=True, help_text=_("Empty: detect."))
    sheet_name = models.CharField(_("sheet name"), max_length=100, blank=True)
    is_complete_export = models.BooleanField(
        _("export is complete"),
        default=False,
        help_text=_("Only then is a tenancy missing from a snapshot taken as paid off."),
    )
    is_default = models.BooleanField(_("default profile"), default=False)

    class Meta:
        db_table = "arrears_importprofile"  # the table kept its name when the model moved (docs/adr/0080)
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")
        constraints = [
            models.UniqueConstraint(fields=["partner", "name"], name="import_profile_name_unique"),
            models.UniqueConstraint(
                fields=["partner"], condition=Q(is_default=True), name="one_default_import_profile"
            ),
        ]

    def __str__(self):
        return f"{self.partner.slug}/{self.name}"

    def clean(self):
        validate_profile(self)


class LedgerImport(models.Model):
    """One ledger file, from arrival to report. A file (by content hash) is applied once per partner."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Imported")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed (internal error, will be retried)")

    class Source(models.TextChoices):
        DROP_FOLDER = "drop_folder", _("Drop folder")
        UPLOAD = "upload", _("Upload")
        API = "api", _("API")
        COMMAND = "command", _("Command line")

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="ledger_imports")
    profile = models.ForeignKey(ImportProfile, on_delete=models.SET_NULL, null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    source_path = models.CharField(
        _("drop-folder path"), max_length=500, blank=True, help_text=_("Where the file was picked up, if dropped.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    as_of = models.DateField(_("export date"), null=True, blank=True)
    as_of_source = models.CharField(
        _("export date taken from"),
        max_length=20,
        blank=True,
        choices=[
            ("given", _("given with the upload")),
            ("column", _("a column of the file")),
            ("file_name", _("the file name")),
            ("import_date", _("the day of the import")),
        ],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When its task was last handed to the broker; empty while the broker could not be reached (the
    # catch-up task queues such an import as soon as it can, ADR 0064).
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # When the retention job deleted the stored file and the error values (the hash, counts and error
    # positions and codes stay): docs/adr/0072-raw-files-ledger-window-audit.md.
    file_purged_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    #: Not stored: on the import ``ledger.services.import_submit`` returns, whether its task reached the
    #: broker once the transaction committed (``None`` before that or when not enqueued).
    queued: bool | None

    class Meta:
        db_table = "arrears_ledgerimport"  # the table kept its name when the model moved (docs/adr/0080)
        ordering = ["-created_at"]
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        constraints = [models.UniqueConstraint(fields=["partner", "sha256"], name="ledger_file_once_per_partner")]

    def __str__(self):
        return f"{self.partner.slug}: {self.file_name} ({self.get_status_display()})"


class LedgerLine(models.Model):
    """A booking line of a transaction ledger: charges positive, payments negative."""

    # A million-line import pays for every index and constraint trigger per line (ADR 0010): the
    # (tenancy, booking_date) index serves the lookups, and the two foreign keys are not declared in
    # the database — lines are written only by the import, with tenancy ids it resolved in the same
    # transaction, and deleted through Django's cascade.
    tenancy = models.ForeignKey(
        Tenancy, on_delete=models.CASCADE, related_name="ledger_lines", db_index=False, db_constraint=False
    )
    booking_date = models.DateField(_("booking date"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Empty on a *balance brought forward* line: the retention job's summary of the lines older than
    # the ledger window (privacy.services.retention, docs/adr/0072-raw-files-ledger-window-audit.md).
    ledger_import = models.ForeignKey(
        LedgerImport,
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
        db_constraint=False,
        null=True,
        blank=True,
    )

    class Meta:
        db_table = "arrears_ledgerline"  # the table kept its name when the model moved (docs/adr/0080)
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        indexes = [
            models.Index(fields=["tenancy", "booking_date"], name="ledgerline_tenancy_date"),
            # The few brought-forward lines: the import reads the ledger horizon from them.
            models.Index(
                fields=["booking_date", "tenancy"],
                condition=Q(ledger_import__isnull=True),
                name="ledgerline_brought_forward",
            ),
        ]

    def __str__(self):
        return f"{self.tenancy_id} {self.booking_date} {self.amount}"


class ArrearsState(models.Model):
    """The current arrears of one tenancy, as the most recent import left it."""

    tenancy = models.OneToOneField(Tenancy, on_delete=models.CASCADE, primary_key=True, related_name="arrears")
    as_of = models.DateField(_("as of"))
    balance = models.DecimalField(_("balance"), max_digits=10, decimal_places=2)
    previous_balance = models.DecimalField(_("previous balance"), max_digits=10, decimal_places=2, null=True)
    months_of_rent = models.DecimalField(_("months of rent"), max_digits=6, decimal_places=2, default=Decimal("0"))
    oldest_unpaid_due_date = models.DateField(_("oldest unpaid due date"), null=True, blank=True)
    days_overdue = models.PositiveIntegerField(_("days overdue"), default=0)
    last_payment_date = models.DateField(_("last payment date"), null=True, blank=True)
    reminder_date = models.DateField(_("reminder date"), null=True, blank=True)
    collection_stage = models.CharField(_("collection stage"), max_length=50, blank=True)
    below_threshold_since = models.DateField(null=True, blank=True)
    ledger_import = models.ForeignKey(LedgerImport, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        db_table = "arrears_arrearsstate"  # the table kept its name when the model moved (docs/adr/0080)
        verbose_name = _("arrears state")
        verbose_name_plural = _("arrears states")

    def __str__(self):
        return f"{self.tenancy_id} {self.as_of} {self.balance}"

    @property
    def arrears_amount(self):
        return max(self.balance, Decimal("0"))

    @property
    def trend(self):
        """Change in balance since the previous import (positive: arrears grew)."""
        if self.previous_balance is None:
            return None
        return self.balance - self.previous_balance


class ArrearsSnapshot(models.Model):
    """The balance of a tenancy on one export date: the arrears history per month."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.CASCADE, related_name="arrears_history")
    as_of = models.DateField(_("as of"))
    balance = models.DecimalField(_("balance"), max_digits=10, decimal_places=2)
    days_overdue = models.PositiveIntegerField(_("days overdue"), default=0)

    class Meta:
        db_table = "arrears_arrearssnapshot"  # the table kept its name when the model moved (docs/adr/0080)
        ordering = ["tenancy", "as_of"]
        verbose_name = _("arrears snapshot")
        verbose_name_plural = _("arrears snapshots")
        constraints = [models.UniqueConstraint(fields=["tenancy", "as_of"], name="one_snapshot_per_day")]

    def __str__(self):
        return f"{self.tenancy_id} {self.as_of} {self.balance}"
