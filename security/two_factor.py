"""Two-factor authentication: one TOTP authenticator per user plus single-use recovery codes
(django-otp devices). The only module that creates, confirms or checks them."""

import base64
import io
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

#: Views a signed-in user may reach before the second factor is verified.
OPEN_VIEWS = frozenset(
    {
        "login",
        "logout",
        "admin:logout",
        "set_language",
        "health",
        "two-factor-setup",
        "two-factor-qr",
        "two-factor-verify",
    }
)
API_MESSAGE = _("Two-factor authentication is required: log in through the web page first.")
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice | None:
    """The authenticator being enrolled (created on first call); ``None`` once one is confirmed."""
    if has_confirmed_device(user):
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    """The key as authenticator apps expect it when typed in: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> bytes:
    """The ``otpauth://`` provisioning URI as an SVG QR code, rendered here (no script, no CDN)."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
    return buffer.getvalue()


def _normalise(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


@transaction.atomic
def enrolment_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a first code; returns fresh recovery codes, or ``None`` if the
    code is wrong (or arrives too soon after several wrong ones: django-otp throttles)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if device.confirmed or not device.verify_token(_normalise(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """Replace the user's recovery codes with ``TIJDIG_2FA_RECOVERY_CODES`` new ones (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.TIJDIG_2FA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(*, user, token: str):
    """The confirmed device that accepts ``token`` (an authenticator code, or a recovery code, which
    is used up), or ``None``."""
    token = _normalise(token)
    if not token:
        return None
    return match_token(user, token)


def next_query(path: str) -> str:
    return urlencode({"next": path})
