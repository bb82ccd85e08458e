"""Every download names its file one way: browsers and phones save the Vietnamese name (`filename*`, UTF-8),
an old client still saves a readable plain one (`filename`), and a PDF meant for reading opens in the browser."""

from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage

from tinhso.core.files import XLSX, download_response, stored_file_response
from tinhso.core.testing import fallback_file_name, saved_file_name


def test_a_vietnamese_name_is_saved_as_written_with_a_plain_fallback():
    response = download_response(b"PK", "Báo cáo Đồng Ưng tháng 3.xlsx", XLSX)
    assert response["Content-Disposition"] == (
        'attachment; filename="Bao cao Dong Ung thang 3.xlsx"; '
        "filename*=utf-8''B%C3%A1o%20c%C3%A1o%20%C4%90%E1%BB%93ng%20%C6%AFng%20th%C3%A1ng%203.xlsx"
    )
    assert saved_file_name(response) == "Báo cáo Đồng Ưng tháng 3.xlsx"
    assert response["Content-Type"] == XLSX and response.content == b"PK"


def test_a_plain_name_keeps_the_short_header_every_client_reads():
    response = download_response(b"BEGIN:VCALENDAR", "hop-12.ics", "text/calendar; charset=utf-8")
    assert response["Content-Disposition"] == 'attachment; filename="hop-12.ics"'


def test_a_pdf_for_reading_opens_in_the_browser_under_its_name():
    response = download_response(b"%PDF-1.4", "Giấy chứng nhận.pdf", "application/pdf", inline=True)
    assert response["Content-Disposition"].startswith('inline; filename="Giay chung nhan.pdf"; filename*=')
    assert saved_file_name(response) == "Giấy chứng nhận.pdf"


def test_a_name_typed_on_a_mac_is_saved_with_composed_letters():
    decomposed = "Bie\u0302n ba\u0309n.pdf"  # ê and ả as a letter plus a combining mark
    response = download_response(b"%PDF-1.4", decomposed, "application/pdf")
    assert saved_file_name(response) == "Biên bản.pdf"
    assert fallback_file_name(response) == "Bien ban.pdf"


def test_a_document_number_with_a_slash_still_makes_one_file_name():
    response = download_response(b"%PDF-1.4", "Kế hoạch 12/KH-UBND.pdf", "application/pdf")
    assert saved_file_name(response) == "Kế hoạch 12-KH-UBND.pdf"
    assert fallback_file_name(response) == "Ke hoach 12-KH-UBND.pdf"


def test_quotes_and_line_breaks_in_a_name_cannot_break_the_header():
    response = download_response(b"x", 'Tờ trình "khẩn"\r\nSet-Cookie: a=b.pdf', "application/pdf")
    assert fallback_file_name(response) == "To trinh khanSet-Cookie: a=b.pdf"
    assert saved_file_name(response) == 'Tờ trình "khẩn"\r\nSet-Cookie: a=b.pdf'
    assert b"\r\nSet-Cookie" not in response.serialize_headers()


def test_a_stored_file_downloads_under_its_vietnamese_name():
    storage = InMemoryStorage()
    name = storage.save("evidence/2026/12/x7Kp.pdf", ContentFile(b"%PDF-1.4 bien ban"))
    response = stored_file_response(name, download_name="Biên bản họp thôn.pdf", inline=False, storage=storage)
    assert response["Content-Disposition"].startswith('attachment; filename="Bien ban hop thon.pdf"; filename*=')
    assert saved_file_name(response) == "Biên bản họp thôn.pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 bien ban"
