"""Reading and applying rent-ledger files (issue 3).

``reading`` (bytes → raw cells), ``fields`` (headers and shapes), ``values`` (one cell → a value or a
reason), ``parsing`` (columns, row errors), ``asof`` (the export date), ``sql`` (PostgreSQL/SQLite
differences, COPY), ``applying`` (the set-based writes, with ``master`` for tenancies and ``ledger``
for booking lines), ``inbox`` (the drop folder). Flagging lives in :mod:`arrears.flagging`, called through
:mod:`ledger.hooks`; the entry points are :mod:`ledger.services`.
"""
