"""The catalogue of field activities the demo province uses, with how many people and households
one such activity typically reaches (low, high) — for generating a plausible year."""

from ..models import ActivityType

# code, name, description, people reached (low, high), households reached (low, high), weight
ACTIVITY_TYPES = [
    (
        "vneid-muc-2",
        "Hướng dẫn kích hoạt tài khoản định danh điện tử VNeID mức 2",
        "Tại nhà văn hóa thôn hoặc đến từng hộ, cùng công an xã.",
        (3, 25),
        (2, 15),
        18,
    ),
    (
        "dich-vu-cong",
        "Hướng dẫn nộp hồ sơ dịch vụ công trực tuyến",
        "Cấp giấy khai sinh, đăng ký thường trú, chứng thực… trên Cổng dịch vụ công.",
        (2, 12),
        (2, 10),
        14,
    ),
    (
        "thanh-toan-so",
        "Hỗ trợ mở tài khoản, thanh toán không dùng tiền mặt",
        "Mở tài khoản ngân hàng, ví điện tử, mã QR cho hộ kinh doanh.",
        (2, 15),
        (1, 10),
        12,
    ),
    (
        "san-tmdt",
        "Đưa sản phẩm lên sàn thương mại điện tử",
        "Chè Shan tuyết, quế, măng, gạo nếp Tú Lệ… trên Postmart, Voso.",
        (1, 6),
        (1, 5),
        5,
    ),
    (
        "lop-ky-nang-so",
        "Mở lớp hướng dẫn kỹ năng số",
        "Sử dụng điện thoại thông minh an toàn, “Bình dân học vụ số”.",
        (10, 45),
        (8, 35),
        9,
    ),
    (
        "go-cua-tung-nha",
        "Tuyên truyền đến từng hộ gia đình",
        "Đi từng nhà giới thiệu lợi ích của chuyển đổi số.",
        (5, 40),
        (5, 30),
        16,
    ),
    (
        "ban-tin-truyen-thanh",
        "Đọc bản tin chuyển đổi số trên truyền thanh thông minh",
        "Bản tin của thôn trên cụm loa truyền thanh thông minh.",
        (30, 300),
        (20, 150),
        9,
    ),
    (
        "chong-lua-dao",
        "Hướng dẫn phòng chống lừa đảo trực tuyến",
        "Nhận biết cuộc gọi, tin nhắn giả mạo; bảo vệ tài khoản.",
        (8, 40),
        (6, 30),
        7,
    ),
    (
        "so-suc-khoe",
        "Hướng dẫn cài đặt Sổ sức khỏe điện tử",
        "Trên ứng dụng VNeID, cùng trạm y tế xã.",
        (3, 20),
        (2, 15),
        6,
    ),
    (
        "ung-dung-cong-dan",
        "Hướng dẫn cài đặt ứng dụng công dân số của tỉnh",
        "Phản ánh, kiến nghị và tra cứu hồ sơ trên điện thoại.",
        (3, 20),
        (2, 15),
        6,
    ),
]


def seed_activity_types() -> list[ActivityType]:
    types = []
    for order, (code, name, description, *_profile) in enumerate(ACTIVITY_TYPES, start=1):
        activity_type, _created = ActivityType.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "order": order * 10}
        )
        types.append(activity_type)
    return types
