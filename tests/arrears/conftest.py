"""Case-work fixtures: a flagged case with its signal, as the import leaves it, and messages in English."""

import pytest
from django.utils import translation

from tests.arrears.factories import flagged_case


@pytest.fixture
def flagged(db):
    """``flagged(corporation, amount=…, days=…, months=…, household={…}, **case_fields)``: a case in the
    corporation's queue with one open signal, and the access flagging grants (``flagged_case``)."""
    return flagged_case


@pytest.fixture
def english():
    """Messages in English (the msgids), so assertions read like the code; the UI default is Dutch."""
    with translation.override("en"):
        yield
