"""Cursor pagination: stable pages while rows are added, no counts (no COUNT(*) over big tables)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

from partners import bounds


def _valid_position(cursor):
    """Every list is ordered by id (``CursorPagination.ordering``), so a position is an id."""
    return bounds.parse_id(cursor.position) is not None


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
    page_size_query_description = _("Items per page (1–200, default 50).")

    def decode_cursor(self, request):
        """DRF checks the cursor's offset and direction but not its position, which goes into the query
        as an id: a forged ``p=abc`` (or an id past ``bigint``) is a 400 here, not a database error."""
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = False
        if cursor is False or (cursor is not None and cursor.position is not None and not _valid_position(cursor)):
            raise ValidationError(
                {self.cursor_query_param: [_("Invalid cursor: follow the 'next' or 'previous' link as given.")]}
            ) from None
        return cursor

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        number = bounds.parse_id(value)  # ASCII digits only: "²" passes str.isdigit() but not int()
        if number is None or number > self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters
