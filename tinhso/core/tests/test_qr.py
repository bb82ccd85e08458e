import base64
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

import pypdfium2
import pytest
import segno
import zxingcpp

from tinhso.core.documents import weasyprint_html
from tinhso.core.qr import qr_svg

LINK = "https://tinhso.example.vn/meetings/12/checkin/?code=ab12cd34"
SVG = "{http://www.w3.org/2000/svg}"


class StartTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def scanned(html: str) -> list[zxingcpp.Result]:
    """What a phone reads: the HTML printed to PDF by WeasyPrint (as the certificates and labels are), then
    rendered to pixels and scanned."""
    pdf = weasyprint_html()(string=f"<body style='margin:10mm'><div style='width:50mm'>{html}</div></body>").write_pdf()
    return zxingcpp.read_barcodes(pypdfium2.PdfDocument(pdf)[0].render(scale=200 / 72).to_pil())


@pytest.mark.parametrize(
    "knobs",
    [
        {"scale": 5, "title": "Mã điểm danh"},  # a meeting's check-in page
        {"scale": 5, "border": 2, "light": "#fff"},  # two-factor enrolment
        {"fit": True, "title": LINK},  # a contest's share box
        {"scale": 3},  # a certificate
        {"error": "q", "boost_error": False, "fit": True},  # a tree's label
    ],
)
def test_the_drawn_code_scans_back_to_the_text_at_the_level_segno_chose(knobs):
    [result] = scanned(qr_svg(LINK, **knobs))
    assert result.text == LINK and result.format == zxingcpp.BarcodeFormat.QRCode
    chosen = segno.make(LINK, error=knobs.get("error", "m"), boost_error=knobs.get("boost_error", True), micro=False)
    assert f"{result.extra['Version']}-{result.extra['ECLevel']}" == chosen.designator


def test_the_level_asked_is_kept_exactly_or_raised_while_the_code_keeps_its_size():
    link = "https://tinhso.gov.vn/learning/contests/15/"
    [kept] = scanned(qr_svg(link, boost_error=False, fit=True))
    [raised] = scanned(qr_svg(link, fit=True))
    assert kept.extra["ECLevel"] == "M" and raised.extra["ECLevel"] == "Q"
    assert kept.extra["Version"] == raised.extra["Version"]


def test_a_short_text_is_a_full_qr_code_a_phone_reads_never_a_micro_qr():
    [result] = scanned(qr_svg("12345", fit=True))
    assert result.format == zxingcpp.BarcodeFormat.QRCode and result.text == "12345"


def test_a_title_with_markup_and_quotes_stays_the_title_and_breaks_nothing():
    title = "Họp \"tổ\" <script>alert(1)</script> & 'khác'"
    markup = qr_svg(LINK, scale=4, title=title)
    document = ElementTree.fromstring(markup)
    assert [child.tag for child in document] == [f"{SVG}title", f"{SVG}path"]
    assert document.find(f"{SVG}title").text == title

    parser = StartTags()
    parser.feed(f"<div>{markup}</div>")  # as a browser meets it in a page
    assert parser.tags == ["div", "svg", "title", "path"]


def test_the_markup_is_a_whole_svg_document_so_it_also_works_as_an_image():
    # A browser shows nothing for a data: URI whose SVG lacks the namespace (the tree and batch pages did).
    markup = qr_svg(LINK, fit=True)
    assert ElementTree.fromstring(markup).tag == f"{SVG}svg"
    uri = "data:image/svg+xml;base64," + base64.b64encode(markup.encode()).decode()
    [result] = scanned(f"<img src='{uri}' style='width:50mm'>")
    assert result.text == LINK


def test_a_fitted_code_has_no_size_of_its_own_and_a_sized_one_grows_with_the_scale():
    fitted = ElementTree.fromstring(qr_svg(LINK, fit=True))
    assert "width" not in fitted.attrib and fitted.attrib["viewBox"].startswith("0 0 ")
    one, five = (ElementTree.fromstring(qr_svg(LINK, scale=scale)) for scale in (1, 5))
    assert int(five.attrib["width"]) == 5 * int(one.attrib["width"]) == 5 * int(one.attrib["height"])
