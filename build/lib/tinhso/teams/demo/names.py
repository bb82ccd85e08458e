"""Names, as the province's people are called: Kinh and the ethnic minorities of Yên Bái and
Lào Cai (Tày, Dao, H'Mông, Thái, Mường, Nùng, Giáy, Khơ Mú, Phù Lá, Sán Chay, Hà Nhì).

Per ethnic group (code of choices.ETHNIC_GROUPS): family names, male middle names, female
middle names, male given names, female given names.
"""

import random

NAMES: dict[str, tuple[list[str], list[str], list[str], list[str], list[str]]] = {
    "01": (
        [
            "Nguyễn",
            "Trần",
            "Lê",
            "Phạm",
            "Hoàng",
            "Vũ",
            "Đỗ",
            "Bùi",
            "Đặng",
            "Ngô",
            "Dương",
            "Đinh",
            "Trịnh",
            "Phan",
            "Cao",
            "Tạ",
            "Đào",
            "Lương",
        ],
        ["Văn", "Đức", "Minh", "Quang", "Xuân", "Công", "Hữu", "Thanh", "Mạnh", "Tiến"],
        ["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Thùy", "Phương"],
        [
            "An",
            "Bình",
            "Cường",
            "Dũng",
            "Đức",
            "Hải",
            "Hùng",
            "Khánh",
            "Long",
            "Nam",
            "Phúc",
            "Quân",
            "Sơn",
            "Thắng",
            "Thành",
            "Toàn",
            "Trung",
            "Tuấn",
            "Việt",
            "Vinh",
            "Huy",
            "Hiếu",
            "Lâm",
            "Quang",
            "Tiến",
            "Tú",
            "Chiến",
            "Hòa",
        ],
        [
            "Anh",
            "Bích",
            "Chi",
            "Dung",
            "Giang",
            "Hà",
            "Hạnh",
            "Hằng",
            "Hiền",
            "Hoa",
            "Hương",
            "Huyền",
            "Lan",
            "Liên",
            "Linh",
            "Loan",
            "Mai",
            "Nga",
            "Ngọc",
            "Nhung",
            "Oanh",
            "Phương",
            "Tâm",
            "Thảo",
            "Thu",
            "Thủy",
            "Trang",
            "Vân",
            "Yến",
        ],
    ),
    "02": (
        ["Hoàng", "Nông", "Hà", "Lương", "Ma", "Triệu", "Bế", "Vi", "Lục", "Hứa", "Đinh", "La"],
        ["Văn", "Đình", "Quang", "Văn"],
        ["Thị"],
        [
            "Chung",
            "Hưng",
            "Khánh",
            "Lâm",
            "Mạnh",
            "Phong",
            "Quý",
            "Sinh",
            "Toàn",
            "Tường",
            "Vượng",
            "Dũng",
            "Hiển",
            "Thuận",
        ],
        ["Mai", "Hằng", "Thắm", "Nhung", "Huệ", "Lan", "Hoa", "Phượng", "Thêu", "Dịu", "Xuyến"],
    ),
    "09": (
        ["Triệu", "Bàn", "Đặng", "Lý", "Phùng", "Chảo", "Tẩn", "Trương", "Hoàng", "Lò"],
        ["Văn", "Tiến", "Kim", "Quý"],
        ["Thị", "Thị", "Tà"],
        ["Quẩy", "Chiêu", "Sài", "Tá", "Phin", "Hin", "Vần", "Sinh", "Kiều", "Lìn", "Tài", "Quý", "Xuân", "Phúc"],
        ["Mẩy", "Nái", "Dung", "Chài", "Mùi", "Ngân", "Hạnh", "Hương", "Liên", "Tiên", "Sểnh"],
    ),
    "08": (
        ["Giàng", "Sùng", "Lù", "Thào", "Mùa", "Vàng", "Hờ", "Lý", "Hạng", "Cứ", "Sình", "Chảo", "Tráng", "Ly"],
        ["A"],
        ["Thị"],
        [
            "Páo",
            "Chứ",
            "Sềnh",
            "Dế",
            "Sử",
            "Lồng",
            "Tủa",
            "Chống",
            "Nhè",
            "Cở",
            "Của",
            "Dình",
            "Khua",
            "Lầu",
            "Pó",
            "Vừ",
            "Xá",
            "Chơ",
            "Súa",
        ],
        ["Sua", "Mỷ", "Dua", "Pàng", "Sy", "Ly", "Mai", "Say", "Chu", "Dợ", "Ca", "Xúa", "Khu", "Nhìa", "Lan"],
    ),
    "03": (
        ["Lò", "Lường", "Cầm", "Quàng", "Tòng", "Điêu", "Hà", "Vì", "Lù", "Mè"],
        ["Văn"],
        ["Thị"],
        ["Pọm", "Sơn", "Thoan", "Ương", "Piếng", "Khiêm", "Chăm", "Pâng", "Xôm", "Hoan", "Ngoan", "Tuấn"],
        ["Ún", "Phóng", "Xuân", "Hoa", "Ngần", "Hương", "Thoa", "Xiêm", "Pịa", "Lả", "Ánh", "Nhung"],
    ),
    "06": (
        ["Đinh", "Quách", "Bùi", "Hà", "Xa", "Cao", "Kiều", "Mai"],
        ["Văn", "Công"],
        ["Thị"],
        ["Khẩm", "Thịnh", "Khoa", "Tường", "Dũng", "Hải", "Luân", "Chiến"],
        ["Chiêng", "Nhung", "Hiền", "Lan", "Mai", "Thắm", "Tuyết", "Hường"],
    ),
    "07": (
        ["Hoàng", "Nông", "Lý", "Chu", "Lục", "Vi", "Lăng", "Mã"],
        ["Văn"],
        ["Thị"],
        ["Dền", "Sáu", "Pao", "Hồng", "Minh", "Khoa", "Thìn"],
        ["Sáu", "Lan", "Nhàn", "Hoa", "Thơm", "Dín"],
    ),
    "25": (
        ["Lò", "Hoàng", "Sần", "Vương", "Lù", "Lương", "Ma"],
        ["Văn", "Seo"],
        ["Thị"],
        ["Chín", "Páo", "Sinh", "Thành", "Vàng", "Lìn", "Cường"],
        ["Lan", "Sử", "Phin", "Mai", "Pà", "Dấu"],
    ),
    "29": (
        ["Lò", "Vì", "Quàng", "Lường", "Cầm"],
        ["Văn"],
        ["Thị"],
        ["Hìn", "Bun", "Khăm", "Pằn", "Xiêng", "Thoong", "Ơn"],
        ["Phương", "Bua", "Khăm", "Pẹ", "Ỏn", "Hia"],
    ),
    "40": (
        ["Lý", "Thào", "Vàng", "Pờ", "Sần", "Cháng", "Chẻo"],
        ["Văn", "Seo", "A"],
        ["Thị"],
        ["Sơn", "Pao", "Chẩn", "Dùng", "Sang", "Lử"],
        ["Mai", "Sinh", "Dín", "Chúa", "Lan"],
    ),
    "15": (
        ["La", "Hoàng", "Trần", "Lâm", "Đặng"],
        ["Văn"],
        ["Thị"],
        ["Hợp", "Sềnh", "Tâm", "Thao"],
        ["Nga", "Hằng", "Liên", "Thêm"],
    ),
    "35": (
        ["Ly", "Phu", "Chu", "Lò", "Pờ"],
        ["Xá", "Chừ"],
        ["Thị"],
        ["Xá", "Chừ", "Pờ", "Gạ", "Lì"],
        ["Ma", "Mơ", "Gió", "Xá"],
    ),
}

# Ethnic make-up of each district of Yên Bái before 2025 (weights), and of the former Lào Cai.
DISTRICT_MAKEUP: dict[str, dict[str, int]] = {
    "132": {"01": 85, "02": 7, "09": 4, "06": 2, "07": 2},
    "133": {"03": 45, "01": 40, "06": 8, "09": 4, "08": 3},
    "135": {"02": 50, "01": 22, "09": 20, "07": 6, "08": 2},
    "136": {"01": 45, "09": 35, "02": 12, "29": 4, "08": 4},
    "137": {"08": 88, "03": 8, "01": 3, "25": 1},
    "138": {"01": 60, "02": 15, "09": 15, "29": 5, "06": 5},
    "139": {"08": 75, "03": 20, "01": 3, "09": 2},
    "140": {"01": 30, "03": 25, "06": 15, "02": 10, "09": 10, "08": 6, "25": 2, "40": 2},
    "141": {"01": 55, "02": 22, "09": 18, "15": 5},
    "": {"01": 35, "08": 25, "02": 12, "09": 12, "25": 5, "07": 4, "40": 3, "35": 2, "03": 2},
}
MOBILE_PREFIXES = [
    "096",
    "097",
    "098",
    "086",
    "091",
    "094",
    "088",
    "083",
    "084",
    "085",
    "081",
    "082",
    "070",
    "079",
    "077",
    "090",
    "093",
    "089",
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
]
SKILLS = [
    "Dịch vụ công trực tuyến",
    "VNeID",
    "Thanh toán số",
    "Thương mại điện tử",
    "Mạng xã hội",
    "Tin học văn phòng",
    "An toàn thông tin",
    "Sổ sức khỏe điện tử",
    "Truyền thanh thông minh",
]


def ethnicity_for(district_code: str, rng: random.Random) -> str:
    makeup = DISTRICT_MAKEUP.get(district_code, DISTRICT_MAKEUP[""])
    return rng.choices(list(makeup), weights=list(makeup.values()))[0]


def full_name(ethnicity: str, gender: str, rng: random.Random) -> str:
    families, male_middle, female_middle, male_given, female_given = NAMES.get(ethnicity, NAMES["01"])
    if gender == "male":
        return f"{rng.choice(families)} {rng.choice(male_middle)} {rng.choice(male_given)}"
    return f"{rng.choice(families)} {rng.choice(female_middle)} {rng.choice(female_given)}"


def phone_numbers(rng: random.Random):
    """An endless supply of distinct, plausible mobile numbers."""
    used: set[str] = set()
    while True:
        number = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
        if number not in used:
            used.add(number)
            yield number


def skills_of(rng: random.Random) -> str:
    return ", ".join(rng.sample(SKILLS, rng.randint(1, 3)))
