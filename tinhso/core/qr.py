"""QR codes drawn on the server as SVG (segno): for pages, PDFs and printed labels, nothing fetched elsewhere.

The markup is a whole SVG document (with its namespace), so the same string works inline in a page, in the
HTML of a PDF and as an `<img>` data URI; a browser shows no image from a data URI without the namespace.
Never a Micro QR: the camera apps of many phones don't read them.
"""

import io

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(
    text: str,
    *,
    error: str = "m",
    boost_error: bool = True,
    scale: float = 1,
    border: int | None = None,
    fit: bool = False,
    light: str | None = None,
    title: str | None = None,
) -> SafeString:
    """`text` as a QR code in SVG markup, safe to put into a page as it is (segno escapes the title).

    error: the error-correction level; segno raises it while the code keeps its size, unless boost_error is
    False (printed labels keep exactly the level they were designed for). fit: no width and height, only a
    viewBox, so the code fills the box the page gives it. light: a background colour (transparent if None).
    """
    code = segno.make(str(text), error=error, boost_error=boost_error, micro=False)
    colours = {} if light is None else {"light": light}
    svg = io.BytesIO()
    title = None if title is None else str(title)  # a lazy translation too
    code.save(
        svg, kind="svg", xmldecl=False, nl=False, scale=scale, border=border, omitsize=fit, title=title, **colours
    )
    return mark_safe(svg.getvalue().decode())  # segno's own markup, the title escaped
