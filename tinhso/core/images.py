"""Photos as the platform stores them: at most 1,280 px, re-encoded as JPEG, with no EXIF.

A phone's photo carries the exact GPS point, the phone's model and the time it was taken; re-encoding
drops all of it, so a stored copy can be shown on a public page. Used by traceability (tree photos) and
citizen reports."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

PHOTO_MAX_PIXELS = 1280
PHOTO_MAX_BYTES = 10 * 1024 * 1024


def resized_jpeg(image, *, max_pixels: int = PHOTO_MAX_PIXELS, max_bytes: int = PHOTO_MAX_BYTES) -> ContentFile:
    """The photo in `image` (an uploaded file or any file object) as a light JPEG without metadata;
    ValidationError({"image": ...}) when it is not a photo or is larger than `max_bytes`."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    size = getattr(image, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError({"image": _("The photo is larger than %(limit)s MB.") % {"limit": max_bytes // 2**20}})
    try:
        picture: Image.Image = Image.open(image)
        picture = ImageOps.exif_transpose(picture) or picture  # upright once the orientation tag is gone
        picture.thumbnail((max_pixels, max_pixels))
        output = BytesIO()
        picture.convert("RGB").save(output, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError({"image": _("This file is not a photo.")}) from error
    return ContentFile(output.getvalue())
