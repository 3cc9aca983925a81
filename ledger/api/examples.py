"""Example bodies of the import endpoints, for the API schema."""

IMPORT = {
    "id": 312,
    "url": "https://tijdig.example.nl/api/v1/imports/312/",
    "partner": "drechtwonen",
    "source": "api",
    "file_name": "huurachterstand-2026-10-05.csv",
    "profile": None,
    "status": "succeeded",
    "as_of": "2026-10-05",
    "created_by": "drechtwonen-erp",
    "created_at": "2026-10-05T02:00:03+02:00",
    "started_at": "2026-10-05T02:00:04+02:00",
    "finished_at": "2026-10-05T02:00:19+02:00",
    "summary": {
        "rows": 8123,
        "tenancies": 8120,
        "rejected_rows": 1,
        "new_signals": 41,
        "updated_signals": 230,
        "closed_signals": 37,
        # Only when the export carries eviction columns (docs/adr/0081):
        "eviction_steps": 2,
        "eviction_steps_in_respite": 0,
        "eviction_steps_known": 14,
        "eviction_steps_no_open_case": 3,
        "eviction_steps_refused": 0,
    },
    "message": "",
    "errors": [{"line": 17, "column": "Saldo", "value": "12,3,4", "reason": "'12,3,4' is not an amount"}],
}
IMPORT_PENDING = {
    **IMPORT,
    "status": "pending",
    "as_of": None,
    "started_at": None,
    "finished_at": None,
    "summary": {},
    "errors": [],
}
