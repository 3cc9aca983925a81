"""The benchmarks' own databases, next to the one in DATABASE_URL on the same PostgreSQL server."""

import os
import sys
from urllib.parse import urlsplit, urlunsplit


def _admin(parts):
    import psycopg2

    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    return admin


def bench_database(suffix, *, reuse, bench):
    """``<DATABASE_URL's name>_<suffix>``: created if missing, and re-created unless ``reuse``.
    Returns its URL and whether it was there already (kept). Exits unless DATABASE_URL is PostgreSQL."""
    url = os.environ.get("DATABASE_URL") or ""
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"{bench} needs PostgreSQL: set DATABASE_URL (make bench does).")
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'tijdig'}_{suffix}"
    admin = _admin(parts)
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if not (reuse and exists):
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
            exists = False
    admin.close()
    return urlunsplit(parts._replace(path=f"/{name}")), exists


def drop_database(url):
    """Drop the database at ``url`` (the PostgreSQL server is shared: leave nothing behind)."""
    parts = urlsplit(url)
    admin = _admin(parts)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')
    admin.close()
