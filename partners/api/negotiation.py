"""Content negotiation that names a bad ``?format=``.

DRF ignores an empty ``?format=`` (and answers a bare 404 to an unknown one), so ``?format=`` on the
letter PDF answered 200 although the schema allows only the view's formats (found by schemathesis). Here
any ``format`` the view cannot render, the empty string included, is a 400 that names the parameter and
the formats it can.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        param = self.settings.URL_FORMAT_OVERRIDE
        if not format_suffix and param and param in request.query_params:
            asked = request.query_params[param]
            formats = [renderer.format for renderer in renderers]
            if asked not in formats:
                raise ValidationError(
                    {
                        param: [
                            _("Unknown format “%(format)s”: use one of %(formats)s.")
                            % {"format": asked, "formats": ", ".join(formats)}
                        ]
                    }
                )
        return super().select_renderer(request, renderers, format_suffix)
