"""The digital competence framework of Circular 02/2025/TT-BGDĐT as it ships: six domains, 24 component
competences, eight levels in four stages. It is loaded once into `CompetenceDomain`, `Competence` (migration 0005)
and `CompetenceLevel` (migration 0007); from then on the rows are the framework — the province corrects a name,
adds a competence or changes the levels in the admin, questions and courses are tagged with the rows, and nothing
here is read again (`current()` reads the rows)."""

from .formats.common import Framework

# (number, name, stage) in Vietnamese and in English: eight levels ("bậc") in four stages ("trình độ") — Cơ bản
# (Foundation) 1–2, Trung cấp (Intermediate) 3–4, Nâng cao (Advanced) 5–6, Chuyên sâu (Highly specialised) 7–8,
# the stages of DigComp 2.2 on which the circular's framework is built.
LEVELS = [
    (1, "Bậc 1", "Cơ bản", "Level 1", "Foundation"),
    (2, "Bậc 2", "Cơ bản", "Level 2", "Foundation"),
    (3, "Bậc 3", "Trung cấp", "Level 3", "Intermediate"),
    (4, "Bậc 4", "Trung cấp", "Level 4", "Intermediate"),
    (5, "Bậc 5", "Nâng cao", "Level 5", "Advanced"),
    (6, "Bậc 6", "Nâng cao", "Level 6", "Advanced"),
    (7, "Bậc 7", "Chuyên sâu", "Level 7", "Highly specialised"),
    (8, "Bậc 8", "Chuyên sâu", "Level 8", "Highly specialised"),
]

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


def load_levels(level_model) -> None:
    """The eight levels, where the table has none yet (a province that changed its levels keeps them)."""
    if level_model.objects.exists():
        return
    for number, name, stage, name_en, stage_en in LEVELS:
        level_model.objects.create(number=number, name=name, stage=stage, name_en=name_en, stage_en=stage_en)


def current() -> Framework:
    """The framework as the province keeps it now: what tags, forms and checks accept."""
    from .models import Competence, CompetenceDomain, CompetenceLevel

    return Framework(
        domains=frozenset(CompetenceDomain.objects.values_list("number", flat=True)),
        competences=dict(Competence.objects.values_list("code", "domain__number")),
        levels=frozenset(CompetenceLevel.objects.values_list("number", flat=True)),
    )
