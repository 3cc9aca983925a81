"""Tokens: created hashed and shown once, scoped to one partner, refused when revoked, expired or orphaned."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from partners.errors import DomainError
from partners.models import ApiToken, Membership
from partners.services import api_token_create, api_token_hash, api_token_revoke
from tests.partners.factories import MembershipFactory

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


def test_token_is_stored_hashed_and_identifies_user_partner_and_role(world, api):
    client = api(world.alice)
    assert client.raw.startswith("tdg_")
    token = ApiToken.objects.get()
    assert token.key_hash == api_token_hash(client.raw) and client.raw not in (token.key_hash, token.prefix)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    assert response.json()["partner"] == {"slug": "corp-a", "name": "Corporatie A", "kind": "corporation"}
    assert response.json()["role"] == "caseworker"
    assert response.json()["token"]["prefix"] == client.raw[:12]
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer tdg_wrong", "Bearer", "Bearer a b", "Bearer \u00e9t\u00e9"],
)
def test_bad_tokens_answer_401_json(world, api, header):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    response = client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json()) == {"detail", "errors"}


def test_no_credentials_answer_401(world, api):
    response = api().get(ME)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authenticatiegegevens zijn niet opgegeven.", "errors": {}}


def test_revoked_expired_inactive_and_orphaned_tokens_are_refused(world, api):
    revoked, expired, inactive, orphaned = (api(world.alice) for _ in range(4))
    api_token_revoke(token=revoked.token)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api(world.alice).get(ME).status_code == 200
    for client in (revoked, expired):
        assert client.get(ME).status_code == 401
    world.alice.is_active = False
    world.alice.save()
    assert inactive.get(ME).status_code == 401
    world.alice.is_active = True
    world.alice.save()
    Membership.objects.filter(user=world.alice).delete()
    assert orphaned.get(ME).status_code == 401


def test_token_for_a_user_of_two_partners_must_name_one(world):
    MembershipFactory(user=world.alice, partner=world.sd, role="manager")
    with pytest.raises(DomainError, match="2 partners"):
        api_token_create(user=world.alice)
    token, _ = api_token_create(user=world.alice, partner=world.sd)
    assert token.partner == world.sd
    with pytest.raises(DomainError, match="hoort niet bij"):
        api_token_create(user=world.bob, partner=world.sd)


def test_scoped_token_speaks_for_its_partner_and_role(world, api):
    MembershipFactory(user=world.alice, partner=world.sd, role="manager")
    body = api(world.alice, partner=world.sd).get(ME).json()
    assert (body["partner"]["slug"], body["role"]) == ("sd", "manager")


def test_create_api_token_command_prints_the_token_once(world):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "alice", "--name", "ERP", "--expires-in-days", "30", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.key_hash == api_token_hash(raw) and token.name == "ERP" and token.expires_at > timezone.now()
    assert "corp-a" in err.getvalue() and raw not in err.getvalue()
    for args, message in [
        (["nobody"], "No user"),
        (["alice", "--partner", "nope"], "No partner"),
        (["alice", "--partner", "sd"], "hoort niet bij"),
        (["alice", "--expires-in-days", "0"], "1 or more"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("create_api_token", *args, stdout=StringIO(), stderr=StringIO())


def test_admin_creates_a_token_and_shows_it_once(world, client, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", "root@example.nl", "correct horse battery")
    client.force_login(admin_user)
    url = reverse("admin:partners_apitoken_add")
    refused = client.post(url, {"user": world.alice.pk, "partner": world.sd.pk, "name": "x"})
    assert refused.status_code == 200 and not ApiToken.objects.exists()
    response = client.post(url, {"user": world.alice.pk, "partner": world.corp_a.pk, "name": "ERP"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    raw = response.context["raw"]
    assert ApiToken.objects.get().key_hash == api_token_hash(raw)
    assert raw in response.content.decode()
    changelist = client.get(reverse("admin:partners_apitoken_changelist")).content.decode()
    assert raw not in changelist
    client.post(
        reverse("admin:partners_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [ApiToken.objects.get().pk]},
    )
    assert ApiToken.objects.get().revoked_at is not None
