"""Passwords: production hashes with a strong, slow hasher; only the test session swaps in a fast one
(tests/conftest.py) so that hundreds of logins do not cost minutes."""

import importlib

from django.conf import global_settings
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher, make_password
from django.utils.module_loading import import_string

STRONG = {
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
}


def test_production_settings_hash_new_passwords_with_a_strong_slow_hasher():
    production = importlib.import_module("config.settings")  # the module itself, not the test session's values
    hashers = getattr(production, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] in STRONG
    hasher = import_string(hashers[0])()
    assert getattr(hasher, "iterations", 0) >= 600_000  # OWASP's floor for PBKDF2-SHA256
    encoded = hasher.encode("correct horse battery staple", hasher.salt())
    assert hasher.verify("correct horse battery staple", encoded) and not hasher.verify("wrong", encoded)
    assert not any("MD5" in name or "Unsalted" in name for name in hashers)


def test_the_test_session_uses_the_fast_hasher():
    encoded = make_password("secret")
    assert identify_hasher(encoded).algorithm == get_hasher().algorithm == "md5"
    assert check_password("secret", encoded)
