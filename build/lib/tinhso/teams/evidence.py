"""Checks on evidence files sent from phones: what they are (by their first bytes, not their
name), how large, and how many per activity."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILES = 6
MAX_BYTES = 8 * 1024 * 1024
# Leading bytes → content type. Office files are ZIP containers.
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
]
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff(head: bytes, name: str) -> str | None:
    """The content type of a file judged by its first bytes, or None if it is not accepted."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "image/heic"
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            if content_type == "application/zip":
                return OFFICE_TYPES.get(name.lower()[-5:])
            return content_type
    return None


def check_files(files) -> list[tuple[object, str]]:
    """(file, content type) of each accepted file; a ValidationError naming every bad one otherwise."""
    if len(files) > MAX_FILES:
        raise ValidationError({"evidence": _("Attach at most %(count)d files.") % {"count": MAX_FILES}})
    accepted, problems = [], []
    for uploaded in files:
        name = getattr(uploaded, "name", "") or "file"
        head = uploaded.read(16)
        uploaded.seek(0)
        content_type = sniff(head, name)
        if uploaded.size > MAX_BYTES:
            problems.append(_("%(name)s is larger than 8 MB.") % {"name": name})
        elif content_type is None:
            problems.append(
                _("%(name)s is not a photo (JPEG, PNG, WebP, HEIC), PDF, Word or Excel file.") % {"name": name}
            )
        else:
            accepted.append((uploaded, content_type))
    if problems:
        raise ValidationError({"evidence": problems})
    return accepted
