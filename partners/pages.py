"""What every app's page views share."""


def htmx_target_is(request, element_id: str) -> bool:
    """An htmx request that swaps ``#element_id`` (a history restore always gets the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and htmx.target == element_id
