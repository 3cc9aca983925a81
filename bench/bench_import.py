"""Ledger-import benchmark on PostgreSQL (issue 3). Prints figures; asserts nothing.

Creates its own database (``<DATABASE_URL's name>_bench``, dropped and re-created), migrates it,
generates the files with ``bench/ledger_generator.py`` (fixed seeds) and measures, end to end through
``import_submit`` + ``import_run`` (parse, validate, store, derive state, flag):

1. an arrears list (snapshot) of 100,000 tenancies that creates them all, then the next one for the
   same, now known, tenancies (target < 10 s);
2. a transaction ledger: 80,000 tenancies × 12 months, a rent charge and a payment a month
   (≈ 1.9 million lines; target for 1,000,000 lines: < 60 s, peak memory < 2 GiB);
3. PostgreSQL's own ``COPY`` of the same file into a bare table, and the ratio (target ≤ 3×);
4. the same file again (target ≥ 5× faster: the content hash says there is nothing to do), and the
   same content as a new file (a full re-apply that replaces the period's lines).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tijdig python bench/bench_import.py [--tenancies N]
"""

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import ledger_generator as gen  # noqa: E402
from scratch_database import bench_database, drop_database  # noqa: E402


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenancies", type=int, default=80_000, help="tenancies in the transaction ledger")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--snapshot-tenancies", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()

    os.environ["DATABASE_URL"], _ = bench_database("bench", reuse=False, bench="bench_import")
    for name in ("CELERY_BROKER_URL", "REDIS_URL", "CELERY_RESULT_BACKEND"):
        os.environ.pop(name, None)
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["TIJDIG_VAR_DIR"] = tempfile.mkdtemp(prefix="tijdig-bench-")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ledger.models import LedgerImport
    from ledger.services import import_run, import_submit
    from partners.models import Municipality, Partner

    call_command("migrate", verbosity=0)
    for _place, code, _pc in gen.PLACES:
        Municipality.objects.get_or_create(code=code, defaults={"name": _place})
    corp = Partner.objects.create(slug="bench", name="Bench Wonen", kind=Partner.Kind.CORPORATION)
    work = Path(os.environ["TIJDIG_VAR_DIR"])
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (shared)")

    as_of = gen.dt.date(2026, 10, 31)
    snapshot_path = work / "snapshot-2026-10-24.csv"
    tx_path = work / "transacties-2026-10-31.csv"
    t0 = time.monotonic()
    people = gen.tenancies(max(args.snapshot_tenancies, args.tenancies), seed=1)
    gen.write_snapshot(snapshot_path, people[: args.snapshot_tenancies], as_of=gen.dt.date(2026, 10, 24))
    lines = gen.write_transactions(tx_path, people[: args.tenancies], as_of=as_of, months=args.months)
    print(f"generated in {time.monotonic() - t0:.1f} s (not counted): {args.snapshot_tenancies:,} snapshot rows; "
          f"{lines:,} transaction lines ({tx_path.stat().st_size / 2**20:.0f} MiB)")  # fmt: skip

    def timed_import(path, data=None, name=None):
        steps = {}
        last = [time.monotonic()]

        def progress(step):
            now = time.monotonic()
            steps[step] = now
            last[0] = now

        start = time.monotonic()
        imp = import_submit(
            partner=corp, file=data if data is not None else path.read_bytes(), file_name=name or path.name,
            source=LedgerImport.Source.COMMAND, enqueue=False,
        )  # fmt: skip
        if imp.status == LedgerImport.Status.PENDING:
            imp = import_run(import_id=imp.pk, progress=progress)
        seconds = time.monotonic() - start
        marks = [start, *steps.values(), time.monotonic()]
        names = ["submit", *steps]
        split = ", ".join(f"{n} {b - a:.1f}" for n, a, b in zip(names, marks, marks[1:], strict=False))
        return imp, seconds, split

    imp, snap_s, split = timed_import(snapshot_path)
    assert imp.status == "succeeded", (imp.status, imp.message)
    s = imp.summary
    print(f"\nsnapshot import: {s['rows']:,} rows ({s['new_tenancies']:,} new tenancies) in {snap_s:.2f} s "
          f"= {s['rows'] / snap_s:,.0f} rows/s  [target < 10 s]  ({split})")  # fmt: skip
    print(f"  signals: {s['new_signals']:,} new, cases: {s['new_cases']:,}; of the time, routing (issue 4) took "
          f"{s.get('routing_seconds', 0):.1f} s")  # fmt: skip
    nightly_path = work / "snapshot-2026-10-25.csv"
    gen.write_snapshot(nightly_path, people[: args.snapshot_tenancies], as_of=gen.dt.date(2026, 10, 25))
    imp, night_s, split = timed_import(nightly_path)
    assert imp.status == "succeeded", (imp.status, imp.message)
    s = imp.summary
    print(f"next snapshot (known tenancies): {s['rows']:,} rows in {night_s:.2f} s = {s['rows'] / night_s:,.0f} rows/s "
          f"[target < 10 s]  ({split})")  # fmt: skip
    print(f"  signals: {s['new_signals']:,} new, {s['updated_signals']:,} updated, {s['closed_signals']:,} closed; "
          f"routing (issue 4) took {s.get('routing_seconds', 0):.1f} s")  # fmt: skip

    imp, tx_s, split = timed_import(tx_path)
    assert imp.status == "succeeded", (imp.status, imp.message)
    s = imp.summary
    print(f"\ntransaction import: {s['rows']:,} lines, {s['tenancies']:,} tenancies in {tx_s:.2f} s "
          f"= {s['rows'] / tx_s:,.0f} rows/s  [target: 1,000,000 lines < 60 s]  ({split})")  # fmt: skip
    print(f"  signals: {s['new_signals']:,} new, {s['updated_signals']:,} updated, {s['closed_signals']:,} closed; "
          f"routing (issue 4) took {s.get('routing_seconds', 0):.1f} s")  # fmt: skip
    print("  slowest statements: " + ", ".join(f"{k} {v:.1f} s" for k, v in sorted(
        s.get("timings", {}).items(), key=lambda kv: -kv[1])[:5]))  # fmt: skip
    print(f"  peak RSS so far: {peak_rss_mib():,.0f} MiB  [target < 2048 MiB]")

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_bare (contract text, booked text, due text, amount text, description text)")
        start = time.monotonic()
        with open(tx_path, "rb") as handle:
            cursor.cursor.copy_expert(
                "COPY bench_bare FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)", handle, size=1 << 20
            )
        copy_s = time.monotonic() - start
        cursor.execute("DROP TABLE bench_bare")
    print(f"\nbare COPY of the same file: {copy_s:.2f} s = {lines / copy_s:,.0f} rows/s; "
          f"import / COPY = {tx_s / copy_s:.1f}×  [target ≤ 3×]")  # fmt: skip

    _imp, again_s, _split = timed_import(tx_path)
    print(f"\nsame file again: {again_s:.2f} s ({tx_s / again_s:,.0f}× faster; the content hash says: nothing to do)")
    data = tx_path.read_bytes() + b"\n"
    imp, reapply_s, split = timed_import(tx_path, data=data, name="transacties-2026-10-31-bis.csv")
    s = imp.summary
    print(f"same content as a new file: {reapply_s:.2f} s ({tx_s / reapply_s:.1f}× faster; "
          f"{s['lines_replaced']:,} lines replaced, {s['new_signals']} new signals)  ({split})")  # fmt: skip
    print("  slowest statements: " + ", ".join(f"{k} {v:.1f} s" for k, v in sorted(
        s.get("timings", {}).items(), key=lambda kv: -kv[1])[:5]))  # fmt: skip
    print(f"\npeak RSS of the whole run: {peak_rss_mib():,.0f} MiB")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    connection.close()
    if not args.keep:  # the PostgreSQL server is shared: leave nothing behind
        drop_database(os.environ["DATABASE_URL"])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
