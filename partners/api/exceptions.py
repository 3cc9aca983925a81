"""The API's one mapping of errors to HTTP: every error is JSON ``{"detail": …, "errors": {field: [...]}}``.

Domain errors (``partners.errors.DomainError``) answer with their ``status_code`` and message;
validation errors answer 400 with the fields that were wrong; an object the user may not see is 404.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from partners.errors import DomainError

NON_FIELD = "non_field_errors"


def flatten_errors(detail, prefix="") -> dict[str, list[str]]:
    """DRF's nested error structure as ``{"field": [...], "household.postcode": [...], "items.0.x": [...]}``."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            flat.update(flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in detail):
            return {prefix or NON_FIELD: [force_str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            flat.update(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or NON_FIELD: [force_str(detail)]}


def validation_error_body(errors: dict) -> dict:
    """The 400 body for ``{field: [messages]}``: every field's errors and a one-line summary of them."""
    summary = "; ".join(
        f"{messages[0]}" if field == NON_FIELD else f"{field}: {messages[0]}" for field, messages in errors.items()
    )
    return {"detail": force_str(_("Invalid input: %(summary)s") % {"summary": summary}), "errors": errors}


def error_response(status, detail, errors=None, headers=None):
    return Response({"detail": force_str(detail), "errors": errors or {}}, status=status, headers=headers)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return error_response(exc.status_code, str(exc), getattr(exc, "errors", None))
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        return Response(validation_error_body(flatten_errors(exc.detail)), status=400)
    response = drf_exception_handler(exc, context)
    if response is not None:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"detail": force_str(detail), "errors": {}}
    return response
