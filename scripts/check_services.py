"""Exit non-zero, loudly, when PostgreSQL or Redis cannot be reached (make test runs this first)."""

import sys

import dj_database_url
import psycopg2
import redis


def main(database_url, redis_url):
    failures = []
    cfg = dj_database_url.parse(database_url)
    try:
        psycopg2.connect(
            dbname="postgres",
            user=cfg["USER"],
            password=cfg["PASSWORD"] or None,
            host=cfg["HOST"],
            port=cfg["PORT"] or 5432,
            connect_timeout=5,
        ).close()
    except psycopg2.Error as exc:
        failures.append(f"PostgreSQL at {cfg['HOST']}:{cfg['PORT']} cannot be reached: {exc}".strip())
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        failures.append(f"Redis at {redis_url} cannot be reached: {exc}")
    for failure in failures:
        print(f"ERROR: {failure}", file=sys.stderr)
    if failures:
        print("Start the services (see README, 'Running the tests') and try again.", file=sys.stderr)
        return 1
    print("PostgreSQL and Redis are reachable.")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
