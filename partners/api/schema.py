"""drf-spectacular extensions: the token security scheme and the error responses every operation has."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error: a message for people and, for bad input, the fields that were wrong.",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, for a person to read."},
        "errors": {
            "type": "object",
            "description": "Field name (dotted for nested fields) → its problems; empty when not about fields.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail", "errors"],
}
ERROR_EXAMPLES = {
    "400": {
        "detail": "Invalid input: consent_on: This field is required.",
        "errors": {"consent_on": ["This field is required."]},
    },
    "401": {"detail": "Invalid, expired or revoked token.", "errors": {}},
    "403": {"detail": "Your role does not allow this.", "errors": {}},
    "404": {"detail": "Not found.", "errors": {}},
    "405": {"detail": 'Method "DELETE" not allowed.', "errors": {}},
    "406": {"detail": "Could not satisfy the request Accept header.", "errors": {}},
    "409": {"detail": "Someone else changed this case first; reload it and try again.", "errors": {}},
    "415": {"detail": 'Unsupported media type "text/plain" in request.', "errors": {}},
    "429": {"detail": "Request was throttled. Expected available in 12 seconds.", "errors": {}},
}
DESCRIPTIONS = {
    "400": "Bad input: `errors` names each field and what is wrong with it.",
    "401": "No valid token or session.",
    "403": "The role or organisation may not do this.",
    "404": "No such object, or one you may not see (its existence is not disclosed).",
    "405": "Method not allowed on this path.",
    "406": "Only `application/json` responses are available.",
    "409": "The case changed meanwhile or is in a state that does not allow this.",
    "415": "Unsupported request body type.",
    "429": "Too many requests for this token; see `Retry-After`.",
}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "partners.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A per-user API token scoped to one partner: `Authorization: Bearer tdg_…`. "
            "Create one in the admin or with `python manage.py create_api_token <username> [--partner slug]`.",
        }


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: document the JSON error answers on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = ["401", "403", "405", "406", "429"]
            has_input = "requestBody" in operation or any(
                p.get("in") == "query" for p in operation.get("parameters", [])
            )
            if has_input or method != "get":
                codes.append("400")
            if "{" in path or method != "get":
                codes.append("404")
            if method != "get":
                codes.append("409")
            if "requestBody" in operation:
                codes.append("415")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {
                            "application/json": {"schema": ref, "examples": {"error": {"value": ERROR_EXAMPLES[code]}}}
                        },
                    },
                )
    return result
