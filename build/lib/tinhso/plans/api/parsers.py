from rest_framework.parsers import BaseParser


class CSVTextParser(BaseParser):
    """A DHIS2 data value CSV body, handed over as text (decoded from UTF-8)."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        return raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
