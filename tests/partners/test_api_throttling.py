"""Throttling counts per token: one system's burst does not slow another's."""

import pytest

from partners.api.throttling import TokenRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_per_minute(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}}
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})


def test_each_token_has_its_own_budget(world, api, three_per_minute):
    first, second = api(world.alice), api(world.alice)
    assert [first.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    throttled = first.get("/api/v1/me/")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert set(throttled.json()) == {"detail", "errors"}
    assert second.get("/api/v1/me/").status_code == 200


def test_a_browser_session_counts_per_user(world, client, three_per_minute):
    client.force_login(world.bob)
    assert [client.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]
