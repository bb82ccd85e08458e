import datetime

from tinhso.core.documents import Document, Issuer, Signer, date_line, render_html, render_pdf


def test_the_date_line_pads_days_below_ten_and_the_first_two_months():
    assert date_line("Yên Bái", datetime.date(2024, 3, 27)) == "Yên Bái, ngày 27 tháng 3 năm 2024"
    assert date_line("Yên Bái", datetime.date(2024, 1, 5)) == "Yên Bái, ngày 05 tháng 01 năm 2024"


def test_a_report_carries_the_national_motto_number_and_signature():
    document = Document(
        issuer=Issuer("Sở Khoa học và Công nghệ", "UBND tỉnh Yên Bái"),
        number_symbol="12/BC-SKHCN",
        place="Yên Bái",
        day=datetime.date(2024, 12, 20),
        kind="Báo cáo",
        title="Kết quả chuyển đổi số năm 2024",
        body_html="<p>Nội dung.</p>",
        signer=Signer("Giám đốc", "Nguyễn Văn A", "KT. Giám đốc"),
    )
    html = render_html(document)
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in html and "Độc lập - Tự do - Hạnh phúc" in html
    assert "Số: 12/BC-SKHCN" in html and "Nơi nhận:" in html
    pdf = render_pdf(document)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
