"""System checks: settings that would make production unsafe fail ``manage.py check``."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def two_factor_only_off_in_debug(app_configs, **kwargs):
    if not settings.TIJDIG_2FA_REQUIRED and not settings.DEBUG:
        return [
            Error(
                "Two-factor authentication is switched off while DEBUG is off.",
                hint="TIJDIG_2FA_REQUIRED=0 is for the local demo only (DEBUG=1).",
                id="tijdig.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def strict_content_security_policy(app_configs, **kwargs):
    directives = settings.CONTENT_SECURITY_POLICY.get("DIRECTIVES", {})
    loose = [
        name
        for name in ("default-src", "script-src", "style-src")
        if any(source not in ("'self'", "'none'") for source in directives.get(name, ["'self'"]))
    ]
    if loose:
        return [
            Error(
                f"The Content-Security-Policy allows more than 'self' in {', '.join(loose)}.",
                hint="No inline scripts or styles and no other origins: vendor the asset under static/.",
                id="tijdig.E002",
            )
        ]
    return []
