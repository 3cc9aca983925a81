"""Ledger imports: taking a file in (:func:`import_submit`) and applying it (:func:`import_run`).

A file is applied whole or not at all: everything it changes — tenancies, ledger lines, arrears
states and history, signals, cases — is written in one database transaction, which also marks the
import done. A worker killed half-way leaves the previous state and an import marked ``running``;
running it again completes it (ADR 0010).

Handing an import to the worker (:func:`import_queue`) may fail while Redis is down: the file and its
import row are kept (``queued_at`` stays empty) and :func:`import_catch_up`, run by beat every few
minutes, queues it — and any import whose task was lost — once the broker is back (ADR 0064).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import kombu.exceptions
import redis.exceptions
from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from ledger import hooks
from ledger.importing import asof, eviction, sniffing
from ledger.importing.applying import Applier
from ledger.importing.errors import ImportRejected
from ledger.importing.parsing import parse_table
from ledger.importing.reading import read_table
from ledger.models import ImportProfile, LedgerImport
from partners import bounds, webhooks
from partners.errors import DomainError

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from partners.models import Partner

logger = logging.getLogger(__name__)

FINAL = (LedgerImport.Status.SUCCEEDED, LedgerImport.Status.REJECTED)
STEPS = ("read", "check", "apply", "flag")
#: The catch-up gives an import up (marks it failed) after this many starts that never finished — a
#: file that kills the worker each time (out of memory) must not be retried for ever.
MAX_ATTEMPTS = 5
#: What a broker that cannot be reached raises while a task is handed over.
BROKER_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.RedisError, OSError)
#: The import task, looked up by its Celery name: ``ledger.tasks`` imports this module to run the import,
#: so this module does not import it back. ``LedgerConfig.ready`` (``ledger/apps.py``) imports the tasks,
#: so the name is registered in every process before an import is queued.
IMPORT_TASK = "ledger.tasks.import_ledger"


def import_submit(
    *,
    partner: Partner,
    file: bytes | bytearray | File | IO[bytes],
    file_name: str | None,
    source: str,
    profile: ImportProfile | None = None,
    user: User | AnonymousUser | None = None,
    as_of: dt.date | None = None,
    source_path: str | Path = "",
    enqueue: bool = True,
) -> LedgerImport:
    """Store the file and create its import (pending), to be run by the import task once this
    transaction commits. A file this partner already submitted (same SHA-256) returns that import
    and changes nothing. ``enqueue=False`` leaves running to the caller (the command does).

    Once the transaction has committed, ``queued`` on the returned import tells whether its task
    reached the broker (``None`` before the commit or when not enqueued): when it did not, the file
    and the import are kept and the catch-up task queues it later."""
    if not partner.is_corporation:
        raise DomainError(_("Only a housing corporation imports a rent ledger."))
    if profile is not None and profile.partner_id != partner.pk:
        raise DomainError(_("Import profile “%(profile)s” belongs to another partner.") % {"profile": profile.name})
    if as_of is not None and not bounds.is_business_date(as_of):
        raise DomainError(str(bounds.DATE_RANGE_MESSAGE))  # every way in: upload, admin, API, command
    if profile is None:
        profile = ImportProfile.objects.filter(partner=partner, is_default=True).first()
    upload = _as_file(file, file_name)
    sniffing.check_upload(upload, file_name=file_name or "ledger", encoding=profile.encoding if profile else "")
    digest = _sha256(upload)
    existing = LedgerImport.objects.filter(partner=partner, sha256=digest).first()
    if existing is not None:
        return existing
    ledger_import = LedgerImport(
        partner=partner,
        profile=profile,
        source=source,
        file_name=(file_name or "ledger")[:255],
        sha256=digest,
        as_of=as_of,
        as_of_source="given" if as_of else "",
        created_by=user if user is not None and user.is_authenticated else None,
        source_path=str(source_path)[:500],
    )
    ledger_import.queued = None
    upload.seek(0)
    ledger_import.file.save(get_valid_filename(file_name or "ledger") or "ledger", upload, save=False)
    try:
        with transaction.atomic():
            ledger_import.save()
            if enqueue:
                transaction.on_commit(partial(_queue_submitted, ledger_import))
    except IntegrityError:
        ledger_import.file.delete(save=False)
        return LedgerImport.objects.get(partner=partner, sha256=digest)
    return ledger_import


def _queue_submitted(ledger_import: LedgerImport) -> None:
    ledger_import.queued = import_queue(import_id=ledger_import.pk)


def import_queue(*, import_id: int) -> bool:
    """Hand the import to a worker. Returns False, keeping the import pending with a note, when the
    broker cannot be reached (:func:`import_catch_up` queues it once the broker is back) or none is
    configured outside the embedded demo (``TIJDIG_IMPORT_IN_PROCESS``)."""
    import_ledger = current_app.tasks[IMPORT_TASK]
    if import_ledger.app.conf.task_always_eager and not settings.TIJDIG_IMPORT_IN_PROCESS:
        # No broker: ``delay`` would run the whole import here, in the web request that took the file
        # in. Only the embedded demo may do that (ADR 0068); elsewhere the import waits for a worker.
        logger.warning("ledger import %s not queued: no broker configured (CELERY_BROKER_URL)", import_id)
        _set_queue_state(import_id, _("No task queue is configured: the import waits until a worker can run it."))
        return False
    try:
        import_ledger.delay(import_id)
    except BROKER_ERRORS as exc:
        logger.warning("ledger import %s not queued, broker unreachable: %s", import_id, type(exc).__name__)
        _set_queue_state(
            import_id, _("The task queue could not be reached; the import starts by itself once it is back.")
        )
        return False
    _set_queue_state(import_id, "", queued_at=timezone.now())
    return True


def _set_queue_state(import_id: int, message: str, **fields: Any) -> None:
    """Set the hand-over on the import; the message only on an import still waiting (not a finished one's)."""
    rows = LedgerImport.objects.filter(pk=import_id)
    try:
        if fields:
            rows.update(**fields)
        rows.filter(status=LedgerImport.Status.PENDING).update(message=message)
    except DatabaseError:
        logger.warning("could not note the queueing of ledger import %s", import_id)


def import_catch_up(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Queue every import whose task never reached the broker, and every unfinished import whose
    task was lost (queued or started longer ago than a task may run — a worker died, or Redis lost
    its queue); give up on one that was started :data:`MAX_ATTEMPTS` times without finishing. Safe
    to run at any time: a task for an import that is done or busy returns at once."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    unfinished = LedgerImport.objects.filter(status__in=[LedgerImport.Status.PENDING, LedgerImport.Status.RUNNING])
    never_queued = unfinished.filter(status=LedgerImport.Status.PENDING, queued_at__isnull=True)
    lost = unfinished.filter(created_at__lt=stale).exclude(queued_at__gte=stale).exclude(started_at__gte=stale)
    counts = {"queued": 0, "not_queued": 0, "given_up": 0}
    for pk in sorted(set(never_queued.values_list("pk", flat=True)) | set(lost.values_list("pk", flat=True))):
        ledger_import = LedgerImport.objects.filter(pk=pk).only("status", "attempts").first()
        if ledger_import is None:
            continue
        if ledger_import.attempts >= MAX_ATTEMPTS:
            _finish(
                pk,
                LedgerImport.Status.FAILED,
                _("Stopped after %(n)s attempts that never finished (the worker stopped each time).")
                % {"n": ledger_import.attempts},
                [],
            )
            logger.error("ledger import %s given up after %s attempts", pk, ledger_import.attempts)
            counts["given_up"] += 1
        elif import_queue(import_id=pk):
            counts["queued"] += 1
        else:
            counts["not_queued"] += 1
    return counts


def _as_file(file: bytes | bytearray | File | IO[bytes], file_name: str | None) -> File:
    """The submitted file as a Django ``File``: an upload as it is (on disk once it passed
    ``FILE_UPLOAD_MAX_MEMORY_SIZE``), bytes in memory, an open binary file (the drop folder's) wrapped."""
    if isinstance(file, bytes | bytearray):
        return ContentFile(bytes(file), name=file_name or "ledger")
    if isinstance(file, File):
        return file
    return File(file, name=file_name or "ledger")


def _sha256(upload: File) -> str:
    """The content's SHA-256, read in chunks: an upload is never held in memory whole."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


class _Busy(Exception):
    """Another worker holds this import."""


def import_run(*, import_id: int, progress: Callable[[str], object] | None = None) -> LedgerImport | None:
    """Apply the import now (the task calls this). Safe to call twice, concurrently, or after a
    crash: a finished import is returned as it is, one held by another worker is left to it."""
    step = progress or (lambda name: None)
    try:
        ledger_import = _claim(import_id)
    except _Busy:
        return LedgerImport.objects.filter(pk=import_id).first()
    if ledger_import is None or ledger_import.status in FINAL:
        return ledger_import
    started = time.monotonic()
    parsed = None
    try:
        step("read")
        profile = ledger_import.profile
        table = read_table(_stored_bytes(ledger_import), file_name=ledger_import.file_name, profile=profile)
        step("check")
        parsed = parse_table(table, profile)
        if parsed.rows == int((parsed.rejected & parsed.live).sum()):
            raise ImportRejected(
                _("No row could be imported. First problems: %(first)s") % {"first": parsed.errors.first_reasons()},
                errors=parsed.errors.stored(),
            )
        explicit = ledger_import.as_of if ledger_import.as_of_source == "given" else None
        as_of, source = asof.resolve(explicit=explicit, column=parsed.as_of_column, file_name=ledger_import.file_name)
        with transaction.atomic():
            locked = _lock(import_id)
            if locked is None or locked.status != LedgerImport.Status.RUNNING:
                return locked
            locked.as_of, locked.as_of_source = as_of, source
            now = timezone.now()
            step("apply")
            applier = Applier(ledger_import=locked, parsed=parsed, profile=profile, as_of=as_of, now=now)
            summary = applier.run()
            step("flag")
            summary.update(hooks.episode_hooks().flag_import(ledger_import=locked, now=now))
            if parsed.eviction is not None:  # the file has eviction columns: after flagging, on open cases
                steps = eviction.imported(parsed, applier.applied, applier.tenancy_of)
                report = partial(parsed.errors.add, rejected=False)
                summary.update(
                    hooks.episode_hooks().record_eviction_steps(ledger_import=locked, steps=steps, report=report)
                )
            applier.fill_people()  # adds its counts to ``summary`` (the applier's own)
            summary.update(
                shape=parsed.shape,
                profile=profile.name if profile else "",
                as_of=as_of.isoformat(),
                as_of_source=source,
                file=table.details,
                errors_total=len(parsed.errors),
                warnings=parsed.errors.warnings,
                seconds=round(time.monotonic() - started, 2),
            )
            locked.summary = summary
            locked.errors = parsed.errors.stored()
            locked.status = LedgerImport.Status.SUCCEEDED
            locked.message = ""
            locked.finished_at = timezone.now()
            locked.save()
            return locked
    except _Busy:
        return LedgerImport.objects.filter(pk=import_id).first()
    except ImportRejected as exc:
        errors = exc.errors or (parsed.errors.stored() if parsed else [])
        return _finish(import_id, LedgerImport.Status.REJECTED, str(exc), errors)
    except OperationalError:
        raise  # the database went away: the import stays "running" and the task retries it
    except Exception:
        logger.exception("ledger import %s failed", import_id)
        _finish(
            import_id, LedgerImport.Status.FAILED, _("Internal error; nothing was changed. It will be retried."), []
        )
        raise


def _claim(import_id: int) -> LedgerImport | None:
    with transaction.atomic():
        ledger_import = _lock(import_id, related=True)
        if ledger_import is None or ledger_import.status in FINAL:
            return ledger_import
        ledger_import.status = LedgerImport.Status.RUNNING
        ledger_import.started_at = timezone.now()
        ledger_import.attempts += 1
        ledger_import.save(update_fields=["status", "started_at", "attempts"])
        return ledger_import


def _lock(import_id: int, related: bool = False) -> LedgerImport | None:
    queryset = LedgerImport.objects.select_for_update(nowait=True, of=("self",))
    if related:
        queryset = queryset.select_related("partner", "profile")
    try:
        return queryset.filter(pk=import_id).first()
    except OperationalError as exc:  # PostgreSQL: "could not obtain lock" (NOWAIT)
        raise _Busy from exc


def _stored_bytes(ledger_import: LedgerImport) -> bytes:
    try:
        with ledger_import.file.open("rb") as handle:
            content: bytes = handle.read()
            return content
    except (FileNotFoundError, ValueError) as exc:
        raise ImportRejected(_("The stored file of this import is missing.")) from exc


def _finish(import_id: int, status: str, message: str, errors: list[dict[str, Any]]) -> LedgerImport | None:
    try:
        with transaction.atomic():
            finished = (
                LedgerImport.objects.filter(pk=import_id)
                .exclude(status__in=FINAL)
                .update(status=status, message=message, errors=errors, finished_at=timezone.now())
            )
            if finished:
                partner_id = LedgerImport.objects.filter(pk=import_id).values_list("partner_id", flat=True).first()
                webhooks.emit([partner_id], "import.finished", {"import_id": import_id, "status": status})
    except DatabaseError:
        logger.exception("could not record the outcome of ledger import %s", import_id)
    return LedgerImport.objects.filter(pk=import_id).first()
