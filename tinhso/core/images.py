"""Photos taken on a phone, made fit to publish: turned upright, at most `max_pixels` on the long side,
re-encoded as JPEG with no metadata at all.

A phone photo's EXIF block carries the exact GPS point, the phone model and the time; re-encoding from
the pixels alone drops all of it (the orientation is applied first, so the picture does not turn on its
side). Used by trace (tree photos, whose exact point must never be public) and meant for any module that
publishes a citizen's or officer's photo (citizen reports)."""

import warnings
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_SOURCE_PIXELS = 50_000_000  # a 50-megapixel camera; more is a decompression bomb, not a photo
# What phones and cameras send; a PDF, an icon or a TIFF scan is not a photo of a place.
PHOTO_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "HEIF", "HEIC"}


def publishable_jpeg(source, *, max_pixels: int = 1280, quality: int = 80, max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """JPEG bytes of `source` (a file object or bytes), upright, ≤ `max_pixels` on the long side, without
    EXIF/XMP/ICC/comments. Anything that is not a readable photo raises ValidationError (never a 500)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if isinstance(source, bytes | bytearray):
        source = BytesIO(source)
    size = getattr(source, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(_("The photo is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(source)
            if opened.width * opened.height > MAX_SOURCE_PIXELS:
                raise ValidationError(_("This photo has too many pixels."))
            opened.draft("RGB", (max_pixels, max_pixels))  # JPEG: decode at a reduced scale, much faster
            picture = ImageOps.exif_transpose(opened)
            picture.thumbnail((max_pixels, max_pixels))
            clean = Image.new("RGB", picture.size)  # pixels only: no info dict, no EXIF travels along
            clean.paste(picture.convert("RGB"))
            output = BytesIO()
            clean.save(output, "JPEG", quality=quality, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning) as error:
        raise ValidationError(_("This file is not a photo.")) from error
    return output.getvalue()


def check_photo(source, *, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse what is plainly not a photo, too large or a decompression bomb, from the file's header alone
    (no pixel decoded, a millisecond), so that the slow `publishable_jpeg` can run later on a worker. A file
    whose header reads but whose pixels do not still fails there."""
    from PIL import Image, UnidentifiedImageError

    size = len(source) if isinstance(source, bytes | bytearray) else getattr(source, "size", None)
    if isinstance(source, bytes | bytearray):
        source = BytesIO(source)
    if size is not None and size > max_bytes:
        raise ValidationError(_("The photo is larger than %(mb)d MB.") % {"mb": max(1, max_bytes // (1024 * 1024))})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as opened:
                too_many = opened.width * opened.height > MAX_SOURCE_PIXELS
                known = opened.format in PHOTO_FORMATS
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning) as error:
        raise ValidationError(_("This file is not a photo.")) from error
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if too_many:
        raise ValidationError(_("This photo has too many pixels."))
    if not known:
        raise ValidationError(_("This file is not a photo."))
