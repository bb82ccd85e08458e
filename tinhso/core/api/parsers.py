"""Request bodies the API reads. JSON nested deeper than any real document is refused with a 400
(Python's json would otherwise exhaust its stack and answer 500)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from tinhso.core.imports import UnreadableFile, load_json


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = read_body(stream)
        try:
            return load_json(raw.decode(encoding))
        except UnicodeDecodeError as error:
            raise ParseError(_("The body is not UTF-8 text.")) from error
        except UnreadableFile as error:
            raise ParseError(str(error)) from error


def read_body(stream) -> bytes:
    """The whole body of a request read by a parser, refused (RequestDataTooBig, answered 413) beyond
    DATA_UPLOAD_MAX_MEMORY_SIZE — Django applies that limit to forms only, not to a body read as a stream."""
    if stream is None:
        return b""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    raw = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(raw) > limit:
        raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
    return raw
