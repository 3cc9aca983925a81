"""Weekly dashboards for managers, their exports and the DDAS monitor export (ADRs 0040–0044).

``weeks`` (ISO weeks in Amsterdam) · ``scope`` (whose cases) · ``figures`` (one week, in SQL) · ``areas``
(roll-up to districts and municipalities) · ``snapshots`` (stable history) · ``workload`` (now) ·
``suppression`` (small numbers: rounding) · ``tables``/``page`` (what is shown) · ``exports`` (CSV/XLSX) · ``ddas``.
"""
