"""Examples for the OpenAPI schema: one realistic value per representation and request."""

from drf_spectacular.utils import OpenApiExample

from households.api.serializers import HOUSEHOLD_FIELDS

HOUSEHOLD = {
    "id": 4182,
    "corporation": "drechtwonen",
    "name": "J. de Vries",
    "initials": "J.",
    "surname_prefix": "de",
    "surname": "Vries",
    "date_of_birth": "1984-03-12",
    "phone": "0612345678",
    "email": "j.devries@example.nl",
    "street": "Voorstraat",
    "house_number": 12,
    "house_number_suffix": "A",
    "postcode": "3311 AA",
    "city": "Dordrecht",
    "municipality": "0505",
    "neighbourhood": "BU05050101",
    # A reader who sees the household in full.
    "visible_fields": list(HOUSEHOLD_FIELDS),
}
ARREARS_STATE = {
    "as_of": "2026-10-05",
    "balance": "1312.40",
    "previous_balance": "656.20",
    "months_of_rent": "2.00",
    "oldest_unpaid_due_date": "2026-08-01",
    "days_overdue": 65,
    "last_payment_date": "2026-07-28",
    "reminder_date": "2026-09-02",
    "collection_stage": "aanmaning",
}
TENANCY = {
    "id": 5120,
    "corporation": "drechtwonen",
    "household": 4182,
    "contract_number": "HC004182",
    "monthly_rent": "656.20",
    "start_date": "2019-04-01",
    "end_date": None,
    "arrears": ARREARS_STATE,
}
SIGNAL = {
    "id": 771,
    "case": 903,
    "household": 4182,
    "corporation": "drechtwonen",
    "partner_type": "Huur",
    "status": "open",
    "origin_date": "2026-08-01",
    "opened_on": "2026-09-01",
    "closed_on": None,
    "amount": "1312.40",
    "whole_euros": 1312,
    "days_overdue": 65,
    "crisis": False,
    "warm_handover": False,
    "tenancy": 5120,
    "amount_at_open": "656.20",
    "peak_amount": "1312.40",
    "months_of_rent": "2.00",
    "updated_on": "2026-10-05",
}
CHECKLIST = {
    "reminder_sent_on": "2026-09-02",
    "contact_attempted_on": "2026-09-10",
    "pointed_to_help_on": "2026-09-10",
    "offered_to_share_on": "2026-09-02",
    "objection_on": None,
    "complete": True,
}
CASE = {
    "id": 903,
    "household": 4182,
    "corporation": "drechtwonen",
    "queue": "sdd",
    "state": "signalled",
    "assignee": None,
    "arrears_amount": "1312.40",
    "opened_at": "2026-09-01T06:12:00+02:00",
    "signalled_at": "2026-09-15T10:03:00+02:00",
    "taken_up_at": None,
    "closed_at": None,
    "outcome": "",
    "routing_reason": "Checklist complete and ≥ 2 months' rent: to Sociale Dienst Drechtsteden",
    "is_late": False,
    "eviction_date": None,
    "warm_handover": False,
    "respite_until": None,
    "checklist": CHECKLIST,
    "version": 7,
}
CASE_DETAIL = {**CASE, "household": HOUSEHOLD, "signals": [SIGNAL]}
REFERRAL = {
    "id": 58,
    "case": 903,
    "from_partner": "drechtwonen",
    "to_partner": "sdd",
    "status": "pending",
    "consent_on": "2026-10-01",
    "reason": "Tenant asks for budget advice; agreed to a warm handover.",
    "created_by": "drechtwonen-caseworker",
    "created_at": "2026-10-01T14:20:00+02:00",
    "decided_by": None,
    "decided_at": None,
    "decision_reason": "",
}
NOTE = {
    "id": 211,
    "case": 903,
    "partner": "sdd",
    "author": "sdd-caseworker",
    "kind": "respite_granted",
    "text": "Household accepted help and pays the current rent; please pause collection.",
    "respite_until": "2026-11-14",
    "shareable": True,
    "created_at": "2026-10-15T09:30:00+02:00",
}
EVENT = {
    "id": 5521,
    "kind": "state",
    "at": "2026-09-15T10:03:00+02:00",
    "actor": None,
    "partner": "drechtwonen",
    "from_state": "in_progress",
    "to_state": "signalled",
    "reason": "Checklist complete and ≥ 2 months' rent: to Sociale Dienst Drechtsteden",
    "data": {},
    "note": None,
    "redacted": False,
}
CONTACT_ATTEMPT = {
    "id": 1207,
    "case": 903,
    "partner": "drechtwonen",
    "by": "drechtwonen-caseworker",
    "kind": "Telefoon",
    "reached": True,
    "date": "2026-09-10",
    "part_of_day": "Ochtend",
    "outcome": "Agreed a payment arrangement; pointed to the municipality's debt help.",
    "created_at": "2026-09-10T10:41:00+02:00",
}
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


def response(value, name="Example", summary=None, status_codes=None):
    return OpenApiExample(name, value=value, summary=summary, response_only=True, status_codes=status_codes)


def request(value, name="Example", summary=None):
    return OpenApiExample(name, value=value, summary=summary, request_only=True)


DASHBOARD = {
    "partner": "drechtwonen",
    "live_week": "2026-W41",
    "week": "2026-W41",
    "weeks": ["2026-W40", "2026-W41"],
    "headlines": [{"label": "New signals", "kind": "count", "value": 40, "previous": 35}],
    "tables": {
        "weekly-cases": {
            "title": "Cases per week",
            "note": "",
            "columns": [
                {"key": "week", "label": "Week", "kind": "text"},
                {"key": "new_signals", "label": "New signals", "kind": "count"},
            ],
            "rows": [{"week": "2026-W40", "new_signals": 35}, {"week": "2026-W41", "new_signals": 40}],
        },
        "neighbourhoods": {
            "title": "Per neighbourhood",
            "note": "Counts are rounded to multiples of 5.",
            "columns": [
                {"key": "area", "label": "Neighbourhood", "kind": "text"},
                {"key": "open_cases", "label": "Open cases", "kind": "count"},
            ],
            "rows": [{"area": "Binnenstad (BU05050101)", "open_cases": 5}],
        },
    },
}
