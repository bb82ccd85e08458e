from rest_framework.parsers import BaseParser

from tinhso.core.api.parsers import read_body
from tinhso.core.imports import decode_text


class CSVTextParser(BaseParser):
    """A DHIS2 data value CSV body, handed over as text (UTF-8, or the Vietnamese Windows code page;
    anything else is refused as an unreadable file, a 400)."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        return decode_text(read_body(stream))
