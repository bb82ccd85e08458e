"""The digital competence framework of Circular 02/2025/TT-BGDĐT as it ships: six domains, 24 component
competences, eight levels in four tiers. It is loaded once into `CompetenceDomain` and `Competence` (migration
0005); from then on the rows are the framework — the province corrects a name or adds a competence in the admin,
questions and courses are tagged with the rows, and nothing here is read again."""

LEVELS = 8  # 1–2 basic, 3–4 intermediate, 5–6 advanced, 7–8 specialised

DOMAINS = [
    (
        1,
        "Khai thác dữ liệu và thông tin",
        [
            ("1.1", "Duyệt, tìm kiếm và lọc dữ liệu, thông tin và nội dung số"),
            ("1.2", "Đánh giá dữ liệu, thông tin và nội dung số"),
            ("1.3", "Quản lý dữ liệu, thông tin và nội dung số"),
        ],
    ),
    (
        2,
        "Giao tiếp và hợp tác trong môi trường số",
        [
            ("2.1", "Tương tác thông qua công nghệ số"),
            ("2.2", "Chia sẻ thông qua công nghệ số"),
            ("2.3", "Tham gia với tư cách công dân thông qua công nghệ số"),
            ("2.4", "Hợp tác thông qua công nghệ số"),
            ("2.5", "Quy tắc ứng xử trên mạng"),
            ("2.6", "Quản lý danh tính số"),
        ],
    ),
    (
        3,
        "Sáng tạo nội dung số",
        [
            ("3.1", "Phát triển nội dung số"),
            ("3.2", "Tích hợp và tạo lập lại nội dung số"),
            ("3.3", "Thực thi bản quyền và giấy phép"),
            ("3.4", "Lập trình"),
        ],
    ),
    (
        4,
        "An toàn",
        [
            ("4.1", "Bảo vệ thiết bị"),
            ("4.2", "Bảo vệ dữ liệu cá nhân và quyền riêng tư"),
            ("4.3", "Bảo vệ sức khỏe và an sinh số"),
            ("4.4", "Bảo vệ môi trường"),
        ],
    ),
    (
        5,
        "Giải quyết vấn đề",
        [
            ("5.1", "Giải quyết các vấn đề kỹ thuật"),
            ("5.2", "Xác định nhu cầu và giải pháp công nghệ"),
            ("5.3", "Sử dụng sáng tạo công nghệ số"),
            ("5.4", "Xác định những thiếu hụt về năng lực số"),
        ],
    ),
    (
        6,
        "Ứng dụng trí tuệ nhân tạo",
        [
            ("6.1", "Hiểu biết về trí tuệ nhân tạo"),
            ("6.2", "Sử dụng trí tuệ nhân tạo"),
            ("6.3", "Đánh giá trí tuệ nhân tạo"),
        ],
    ),
]


def load(domain_model, competence_model) -> None:
    """Rows for what is missing; a name the province already changed stays as it is."""
    for number, name, competences in DOMAINS:
        domain, _created = domain_model.objects.get_or_create(number=number, defaults={"name": name})
        for order, (code, title) in enumerate(competences):
            competence_model.objects.get_or_create(
                code=code, defaults={"domain": domain, "name": title, "order": order}
            )
