"""The REST API's common parts (authentication, throttling, pagination, errors, schema) and the
partner-level endpoints. ``households.api`` and ``arrears.api`` build on these; see docs/adr/0050."""
