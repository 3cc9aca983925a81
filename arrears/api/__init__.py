"""The REST API under ``/api/v1/``: thin viewsets over the selectors (reads) and services (writes)."""
