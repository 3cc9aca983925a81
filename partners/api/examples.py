"""OpenAPI examples: one shape per example, shown in the schema and the Swagger page."""

from drf_spectacular.utils import OpenApiExample


def response(value, name="Example", summary=None, status_codes=None):
    return OpenApiExample(name, value=value, summary=summary, response_only=True, status_codes=status_codes)


def request(value, name="Example", summary=None):
    return OpenApiExample(name, value=value, summary=summary, request_only=True)
