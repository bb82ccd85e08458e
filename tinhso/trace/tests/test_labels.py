import pypdfium2
import pytest
import segno
import zxingcpp

from tinhso.core.testing import web_client

from .conftest import add_tree

pytestmark = pytest.mark.django_db


def decoded_qr_texts(pdf: bytes) -> list[str]:
    texts = []
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        image = page.render(scale=200 / 72).to_pil()
        texts += [
            result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode
        ]
    return texts


def test_the_label_sheet_has_one_qr_per_tree_decoding_to_exactly_the_stored_url(tea):
    trees = [tea.tree1] + [add_tree(tea.garden, f"SG-{n:04d}") for n in range(2, 9)]
    response = web_client(tea.officer).get(f"/trace/labels.pdf?garden={tea.garden.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert sorted(decoded_qr_texts(response.content)) == sorted(tree.link for tree in trees)


def test_each_label_prints_the_tree_number(tea):
    pdf = pypdfium2.PdfDocument(web_client(tea.officer).get(f"/trace/labels.pdf?garden={tea.garden.pk}").content)
    assert "SG-0001" in pdf[0].get_textpage().get_text_range()


def test_the_printed_qr_is_the_smallest_version_at_error_correction_q(tea):
    pdf = web_client(tea.officer).get(f"/trace/labels.pdf?garden={tea.garden.pk}").content
    [printed] = zxingcpp.read_barcodes(pypdfium2.PdfDocument(pdf)[0].render(scale=200 / 72).to_pil())
    assert printed.extra["ECLevel"] == "Q"
    for version in range(1, int(printed.extra["Version"])):
        with pytest.raises(segno.DataOverflowError):
            segno.make(tea.tree1.link, error="q", version=version, boost_error=False)


def test_labels_of_a_garden_out_of_scope_are_not_found(tea):
    assert web_client(tea.officer).get(f"/trace/labels.pdf?garden={tea.other_garden.pk}").status_code == 404
    assert web_client(tea.officer).get("/trace/labels.pdf?garden=abc").status_code == 404
    assert web_client().get(f"/trace/labels.pdf?garden={tea.garden.pk}").status_code == 302


def test_a_long_sheet_fills_whole_pages_and_never_splits_a_label(tea):
    # 40 trees: 18 + 18 + 4 labels; every page's QR codes are the labels printed on it, whole.
    trees = [tea.tree1] + [add_tree(tea.garden, f"SG-{n:04d}") for n in range(2, 41)]
    pdf = web_client(tea.officer).get(f"/trace/labels.pdf?garden={tea.garden.pk}").content
    document = pypdfium2.PdfDocument(pdf)
    numbers = [page.get_textpage().get_text_range().count("SG-") for page in document]
    assert numbers == [18, 18, 4]
    for page in document:
        printed = {word for word in page.get_textpage().get_text_range().split() if word.startswith("SG-")}
        image = page.render(scale=200 / 72).to_pil()
        scanned = {result.text for result in zxingcpp.read_barcodes(image)}
        assert scanned == {tree.link for tree in trees if tree.number in printed}
