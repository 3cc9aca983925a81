"""The demo's history: generated rent ledgers fed through the real import, and simulated case work
through the real services (ADR 0002). ``seed_demo`` calls :func:`history.build_history`."""
