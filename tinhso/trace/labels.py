"""QR labels: an A4 sheet per garden, each label with the tree's number and a QR of its stored URL.

segno picks the smallest QR version that holds the URL at error correction Q (25 % of the code may be
dirt or scratches); `boost_error=False` keeps it at Q instead of raising it when there is room.
"""

import base64

from django.template.loader import render_to_string

from tinhso.core.qr import qr_svg

LABELS_PER_PAGE = 18  # 3 × 6 labels of 63 × 45 mm inside A4's 190 × 277 mm: a label never splits over two pages


def qr_svg_data_uri(url: str) -> str:
    svg = qr_svg(url, error="q", boost_error=False, fit=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def label_sheet_pdf(trees, *, title: str) -> bytes:
    from tinhso.core.documents import weasyprint_html

    labels = [{"number": tree.number, "garden": tree.garden.name, "qr": qr_svg_data_uri(tree.link)} for tree in trees]
    pages = [labels[start : start + LABELS_PER_PAGE] for start in range(0, len(labels), LABELS_PER_PAGE)]
    html = render_to_string("trace/labels.html", {"pages": pages, "title": title})
    return weasyprint_html()(string=html).write_pdf()
