"""System checks: settings that would make production unsafe fail ``manage.py check``."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def two_factor_only_off_in_the_demo(app_configs, **kwargs):
    if not settings.TIJDIG_2FA_REQUIRED and not settings.TIJDIG_DEMO:
        return [
            Error(
                "Two-factor authentication is switched off outside the local demo.",
                hint="TIJDIG_2FA_REQUIRED=0 is for the local demo only (TIJDIG_DEMO=1).",
                id="tijdig.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def no_demo_in_production(app_configs, **kwargs):
    if settings.TIJDIG_DEMO:
        return [
            Error(
                "The local demo mode (TIJDIG_DEMO, or DEBUG) is on.",
                hint="It allows plain http, a known secret key and demo users: never in production.",
                id="tijdig.E003",
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
