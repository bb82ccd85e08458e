"""The demo DX knowledge bank: Vietnamese questions generated from a compact table of facts.

Facts come from the programme's own figures (docs/PRODUCT brief and the Yên Bái articles in seeds) and from
well-known national texts; every question is derived from one fact, in several wordings and kinds.
"""

from .choices import Domain, QuestionKind

D = Domain
# (topic, domain, level, question, answer, unit word, distractors) — a figure
FIGURES = [
    (
        "Yên Bái",
        D.DATA,
        1,
        "Tỉnh Yên Bái (trước 1/7/2025) có bao nhiêu thôn, bản, tổ dân phố",
        1356,
        "thôn, bản, tổ dân phố",
        (1292, 1510, 2910),
    ),
    (
        "Yên Bái",
        D.DATA,
        1,
        "Tổ chuyển đổi số cộng đồng đã được thành lập ở bao nhiêu xã, phường, thị trấn của Yên Bái",
        173,
        "xã",
        (152, 99, 168),
    ),
    (
        "Yên Bái",
        D.DATA,
        1,
        "Tỉnh Yên Bái trước sắp xếp có bao nhiêu huyện, thị xã, thành phố",
        9,
        "đơn vị cấp huyện",
        (7, 11, 13),
    ),
    (
        "Yên Bái",
        D.DATA,
        2,
        "Bao nhiêu cán bộ, công chức, viên chức Yên Bái đã dự thi trực tuyến tìm hiểu kiến thức chuyển đổi số",
        13498,
        "người",
        (10850, 23094, 28239),
    ),
    (
        "Yên Bái",
        D.DATA,
        2,
        "Các cuộc thi trực tuyến tìm hiểu kiến thức chuyển đổi số của Yên Bái có bao nhiêu lượt người dự thi",
        23094,
        "lượt",
        (13498, 28239, 50772),
    ),
    (
        "Yên Bái",
        D.DATA,
        2,
        "Kế hoạch chuyển đổi số năm của tỉnh có bao nhiêu chỉ tiêu định lượng",
        34,
        "chỉ tiêu",
        (22, 45, 14),
    ),
    (
        "Yên Bái",
        D.DATA,
        2,
        "Kế hoạch chuyển đổi số năm của tỉnh có bao nhiêu nhiệm vụ trọng tâm",
        45,
        "nhiệm vụ",
        (34, 35, 9),
    ),
    ("Yên Bái", D.DATA, 2, "Kế hoạch chuyển đổi số năm của tỉnh có bao nhiêu nhóm giải pháp", 9, "nhóm", (5, 14, 22)),
    ("Yên Bái", D.DATA, 2, "Kế hoạch chuyển đổi số năm của tỉnh có bao nhiêu mô hình", 14, "mô hình", (8, 9, 35)),
    ("Yên Bái", D.DATA, 2, "Kế hoạch chuyển đổi số năm của tỉnh có bao nhiêu dự án", 35, "dự án", (14, 45, 22)),
    ("Yên Bái", D.DATA, 2, "Yên Bái đặt bao nhiêu mục tiêu chuyển đổi số đến năm 2025", 22, "mục tiêu", (16, 34, 15)),
    (
        "Yên Bái",
        D.DATA,
        3,
        "Trong 22 mục tiêu chuyển đổi số đến năm 2025 của Yên Bái, bao nhiêu mục tiêu đã đạt",
        16,
        "mục tiêu",
        (15, 22, 12),
    ),
    (
        "Yên Bái",
        D.DATA,
        3,
        "Trong 22 mục tiêu đến năm 2025, trụ cột chính quyền số có bao nhiêu mục tiêu",
        15,
        "mục tiêu",
        (2, 5, 16),
    ),
    (
        "Yên Bái",
        D.DATA,
        3,
        "Trong 22 mục tiêu đến năm 2025, trụ cột kinh tế số có bao nhiêu mục tiêu",
        2,
        "mục tiêu",
        (5, 15, 3),
    ),
    (
        "Yên Bái",
        D.DATA,
        3,
        "Trong 22 mục tiêu đến năm 2025, trụ cột xã hội số có bao nhiêu mục tiêu",
        5,
        "mục tiêu",
        (2, 15, 7),
    ),
    (
        "Yên Bái",
        D.DATA,
        2,
        "Tỷ lệ thôn, bản của Yên Bái có cáp quang băng rộng là bao nhiêu phần trăm (làm tròn đến 0,1)",
        98.8,
        "%",
        (99.0, 95.5, 88.8),
    ),
    (
        "Yên Bái",
        D.DATA,
        2,
        "Mạng 5G đã phủ sóng ở bao nhiêu trong 9 huyện, thị xã, thành phố của Yên Bái",
        4,
        "huyện",
        (2, 6, 9),
    ),
    (
        "Yên Bái",
        D.DATA,
        3,
        "Yên Bái xếp thứ bao nhiêu trong 63 tỉnh, thành phố về Chỉ số chuyển đổi số (DTI)",
        15,
        "",
        (5, 25, 30),
    ),
    (
        "Yên Bái",
        D.DATA,
        2,
        "Tổ chuyển đổi số cộng đồng của Yên Bái có hơn bao nhiêu thành viên",
        10850,
        "thành viên",
        (1356, 13498, 9000),
    ),
    (
        "Yên Bái",
        D.DATA,
        2,
        "Huyện Văn Yên đã công nhận gần bao nhiêu người dân là công dân số",
        9000,
        "người",
        (1356, 13498, 5000),
    ),
    (
        "Yên Bái",
        D.DATA,
        3,
        "Bao nhiêu chi bộ của Yên Bái đã triển khai sổ tay đảng viên điện tử (trên tổng 2.910)",
        1292,
        "chi bộ",
        (1356, 2910, 1500),
    ),
    (
        "Yên Bái",
        D.DATA,
        3,
        "Bao nhiêu tài khoản sổ tay đảng viên điện tử đã được kích hoạt ở Yên Bái (trên tổng 50.772)",
        28239,
        "tài khoản",
        (23094, 50772, 13498),
    ),
    ("Yên Bái", D.DATA, 2, "Yên Bái đã triển khai thí điểm bao nhiêu mô hình chuyển đổi số", 8, "mô hình", (5, 9, 14)),
    (
        "Sắp xếp đơn vị hành chính",
        D.DATA,
        1,
        "Từ ngày 1/7/2025 cả nước có bao nhiêu tỉnh, thành phố trực thuộc trung ương",
        34,
        "tỉnh, thành phố",
        (63, 28, 45),
    ),
    (
        "Sắp xếp đơn vị hành chính",
        D.DATA,
        2,
        "Tỉnh Lào Cai mới (từ 1/7/2025) có bao nhiêu xã, phường",
        99,
        "xã, phường",
        (51, 173, 152),
    ),
    (
        "Sắp xếp đơn vị hành chính",
        D.DATA,
        3,
        "Bao nhiêu xã, phường của tỉnh Lào Cai mới được hình thành từ địa bàn Yên Bái cũ",
        51,
        "xã, phường",
        (48, 99, 173),
    ),
    (
        "Đánh giá cán bộ",
        D.PROBLEM_SOLVING,
        3,
        "Theo Nghị định 335/2025/NĐ-CP, tiêu chí kết quả thực hiện nhiệm vụ chiếm tối đa bao nhiêu điểm",
        70,
        "điểm",
        (30, 50, 90),
    ),
    (
        "Đánh giá cán bộ",
        D.PROBLEM_SOLVING,
        3,
        "Theo Nghị định 335/2025/NĐ-CP, nhóm tiêu chí chung chiếm tối đa bao nhiêu điểm",
        30,
        "điểm",
        (70, 20, 50),
    ),
    (
        "Khung năng lực số",
        D.DATA,
        2,
        "Khung năng lực số ban hành kèm Thông tư 02/2025/TT-BGDĐT có bao nhiêu miền năng lực",
        6,
        "miền",
        (4, 8, 24),
    ),
    (
        "Khung năng lực số",
        D.DATA,
        3,
        "Khung năng lực số theo Thông tư 02/2025/TT-BGDĐT có bao nhiêu năng lực thành phần",
        24,
        "năng lực",
        (6, 8, 21),
    ),
    (
        "Khung năng lực số",
        D.DATA,
        3,
        "Khung năng lực số theo Thông tư 02/2025/TT-BGDĐT chia thành bao nhiêu bậc",
        8,
        "bậc",
        (4, 6, 10),
    ),
    ("An toàn thông tin", D.SAFETY, 1, "Một mật khẩu mạnh nên có tối thiểu bao nhiêu ký tự", 8, "ký tự", (4, 5, 6)),
    (
        "Chuyển đổi số quốc gia",
        D.DATA,
        1,
        "Ngày Chuyển đổi số quốc gia là ngày bao nhiêu của tháng 10",
        10,
        "",
        (1, 20, 30),
    ),
]

# (topic, domain, level, term, meaning, wrong meanings) — a term and what it means
TERMS = [
    ("Chuyển đổi số", D.DATA, 1, "CĐS", "chuyển đổi số", ("cải cách số liệu", "chính sách đổi mới sáng tạo")),
    (
        "Chuyển đổi số",
        D.DATA,
        2,
        "DTI",
        "Chỉ số đánh giá mức độ chuyển đổi số",
        ("Chỉ số năng lực cạnh tranh cấp tỉnh", "Chỉ số hài lòng của người dân"),
    ),
    (
        "Chuyển đổi số",
        D.DATA,
        1,
        "VNeID",
        "Ứng dụng định danh và xác thực điện tử quốc gia",
        ("Mạng xã hội của Việt Nam", "Ví điện tử của ngân hàng"),
    ),
    (
        "Chuyển đổi số",
        D.COMMUNICATION,
        1,
        "Cổng Dịch vụ công quốc gia",
        "nơi người dân nộp hồ sơ, thực hiện thủ tục hành chính trực tuyến",
        ("nơi đăng ký tài khoản mạng xã hội", "trang tin tức của một tỉnh"),
    ),
    (
        "Chuyển đổi số",
        D.DATA,
        1,
        "Chính quyền số",
        "trụ cột chuyển đổi số về hoạt động của cơ quan nhà nước trên môi trường số",
        ("một phần mềm kế toán", "tên một cuộc thi"),
    ),
    (
        "Chuyển đổi số",
        D.DATA,
        1,
        "Kinh tế số",
        "trụ cột chuyển đổi số về sản xuất, kinh doanh dựa trên công nghệ số",
        ("việc dùng tiền xu", "một loại thuế mới"),
    ),
    (
        "Chuyển đổi số",
        D.DATA,
        1,
        "Xã hội số",
        "trụ cột chuyển đổi số về đời sống của người dân trên môi trường số",
        ("tên một mạng xã hội", "một hội nghề nghiệp"),
    ),
    (
        "Chuyển đổi số",
        D.COMMUNICATION,
        1,
        "Tổ chuyển đổi số cộng đồng",
        "lực lượng hướng dẫn người dân ở từng thôn, bản, tổ dân phố dùng dịch vụ số",
        ("đội thu thuế ở thôn", "câu lạc bộ văn nghệ"),
    ),
    (
        "Chuyển đổi số",
        D.DATA,
        2,
        "Đề án 06",
        "đề án phát triển ứng dụng dữ liệu dân cư, định danh và xác thực điện tử",
        ("đề án xây dựng nông thôn mới", "đề án phát triển du lịch"),
    ),
    (
        "Chuyển đổi số",
        D.DATA,
        2,
        "Nghị quyết 57-NQ/TW",
        "nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        ("nghị quyết về đất đai", "nghị quyết về giáo dục mầm non"),
    ),
    (
        "Chuyển đổi số",
        D.DATA,
        2,
        "Bình dân học vụ số",
        "phong trào phổ cập kỹ năng số cho toàn dân",
        ("chương trình xóa mù chữ năm 1945", "một ứng dụng học ngoại ngữ"),
    ),
    (
        "Chuyển đổi số",
        D.DATA,
        2,
        "Công dân số",
        "người dân có danh tính điện tử và dùng thành thạo các dịch vụ số",
        ("người có nhiều tài khoản mạng xã hội", "người làm việc ở công ty công nghệ"),
    ),
    (
        "Chuyển đổi số",
        D.COMMUNICATION,
        2,
        "Họp không giấy",
        "cuộc họp dùng tài liệu điện tử thay giấy, gửi trước qua phần mềm",
        ("cuộc họp không có biên bản", "cuộc họp chỉ qua điện thoại"),
    ),
    (
        "Chuyển đổi số",
        D.COMMUNICATION,
        2,
        "Truyền thanh thông minh",
        "hệ thống loa dùng Internet, phát bản tin từ điện thoại hoặc máy tính",
        ("đài phát thanh dùng sóng ngắn", "loa kéo karaoke"),
    ),
    (
        "Chuyển đổi số",
        D.CONTENT,
        2,
        "Mã QR truy xuất nguồn gốc",
        "mã quét bằng điện thoại để xem nguồn gốc sản phẩm",
        ("mã giảm giá", "mã số thuế"),
    ),
    (
        "An toàn thông tin",
        D.SAFETY,
        1,
        "Mã OTP",
        "mật khẩu dùng một lần, không được cho ai biết",
        ("mã bưu chính", "mã số khách hàng công khai"),
    ),
    (
        "An toàn thông tin",
        D.SAFETY,
        2,
        "Xác thực hai yếu tố",
        "đăng nhập cần thêm một bước xác minh ngoài mật khẩu",
        ("dùng hai mật khẩu giống nhau", "hai người dùng chung tài khoản"),
    ),
    (
        "An toàn thông tin",
        D.SAFETY,
        2,
        "Lừa đảo qua đường liên kết (phishing)",
        "gửi liên kết giả mạo để lấy mật khẩu, thông tin tài khoản",
        ("quảng cáo hợp pháp", "cập nhật phần mềm"),
    ),
    (
        "An toàn thông tin",
        D.SAFETY,
        3,
        "Nghị định 13/2023/NĐ-CP",
        "quy định về bảo vệ dữ liệu cá nhân",
        ("quy định về xử phạt giao thông", "quy định về đấu thầu"),
    ),
    (
        "Trí tuệ nhân tạo",
        D.AI,
        1,
        "Trí tuệ nhân tạo (AI)",
        "công nghệ giúp máy tính học từ dữ liệu và làm những việc cần trí tuệ con người",
        ("một loại máy tính bảng", "mạng Internet tốc độ cao"),
    ),
    (
        "Trí tuệ nhân tạo",
        D.AI,
        2,
        "Deepfake",
        "hình ảnh, giọng nói giả mạo do AI tạo ra",
        ("video quay chậm", "ảnh chụp độ phân giải cao"),
    ),
    (
        "Trí tuệ nhân tạo",
        D.AI,
        2,
        "Ảo giác của AI",
        "khi AI đưa ra thông tin sai nhưng trông như đúng",
        ("khi AI chạy chậm", "khi AI hết pin"),
    ),
    (
        "Trí tuệ nhân tạo",
        D.AI,
        2,
        "Câu lệnh (prompt)",
        "nội dung người dùng nhập để yêu cầu AI làm việc",
        ("mật khẩu của AI", "giấy phép dùng AI"),
    ),
    (
        "Trí tuệ nhân tạo",
        D.AI,
        2,
        "Bình dân học AI",
        "mô hình phổ cập kiến thức, kỹ năng dùng AI cho người dân của Yên Bái",
        ("cuộc thi lập trình", "tên một ứng dụng"),
    ),
    (
        "Kỹ năng số",
        D.CONTENT,
        1,
        "Thanh toán không dùng tiền mặt",
        "trả tiền qua ứng dụng ngân hàng, ví điện tử, mã QR",
        ("trả tiền bằng vàng", "ghi nợ vào sổ"),
    ),
]

# (topic, domain, level, statement, true?)
STATEMENTS = [
    (
        "An toàn thông tin",
        D.SAFETY,
        1,
        "Không được cung cấp mã OTP cho bất kỳ ai, kể cả người xưng là cán bộ ngân hàng hay công an",
        True,
    ),
    ("An toàn thông tin", D.SAFETY, 1, "Dùng một mật khẩu chung cho mọi tài khoản là cách làm an toàn", False),
    ("An toàn thông tin", D.SAFETY, 1, "Nên bấm vào mọi đường liên kết nhận qua tin nhắn để kiểm tra", False),
    ("An toàn thông tin", D.SAFETY, 1, "Nên cập nhật hệ điều hành và ứng dụng khi có bản vá bảo mật", True),
    (
        "An toàn thông tin",
        D.SAFETY,
        2,
        "Wi-Fi công cộng không nên dùng để đăng nhập ngân hàng khi chưa có biện pháp bảo vệ",
        True,
    ),
    (
        "An toàn thông tin",
        D.SAFETY,
        2,
        "Cơ quan công an thường yêu cầu người dân chuyển tiền qua điện thoại để điều tra",
        False,
    ),
    ("An toàn thông tin", D.SAFETY, 1, "Chỉ nên cài ứng dụng từ kho ứng dụng chính thức", True),
    (
        "An toàn thông tin",
        D.SAFETY,
        2,
        "Ảnh căn cước công dân có thể đăng công khai lên mạng xã hội mà không có rủi ro",
        False,
    ),
    ("Trí tuệ nhân tạo", D.AI, 1, "Thông tin do AI trả lời luôn chính xác, không cần kiểm chứng", False),
    (
        "Trí tuệ nhân tạo",
        D.AI,
        2,
        "Không nên nhập dữ liệu cá nhân nhạy cảm hoặc tài liệu mật vào các công cụ AI công cộng",
        True,
    ),
    ("Trí tuệ nhân tạo", D.AI, 2, "AI có thể giả giọng nói người thân để lừa đảo", True),
    ("Trí tuệ nhân tạo", D.AI, 2, "Câu lệnh càng rõ mục đích, bối cảnh thì kết quả AI trả về càng sát yêu cầu", True),
    (
        "Trí tuệ nhân tạo",
        D.AI,
        3,
        "Văn bản do AI soạn có thể dùng ngay làm văn bản hành chính mà không cần người kiểm tra",
        False,
    ),
    (
        "Kỹ năng số",
        D.COMMUNICATION,
        1,
        "Người dân có thể nộp hồ sơ thủ tục hành chính trực tuyến mà không cần đến trụ sở",
        True,
    ),
    (
        "Kỹ năng số",
        D.COMMUNICATION,
        1,
        "Tài khoản định danh điện tử mức 2 được dùng để đăng nhập Cổng Dịch vụ công quốc gia",
        True,
    ),
    (
        "Kỹ năng số",
        D.CONTENT,
        2,
        "Sao chép hình ảnh của người khác để bán hàng trên mạng là không vi phạm bản quyền",
        False,
    ),
    (
        "Kỹ năng số",
        D.PROBLEM_SOLVING,
        1,
        "Khi quên mật khẩu, nên dùng chức năng “Quên mật khẩu” của chính ứng dụng đó",
        True,
    ),
    ("Yên Bái", D.DATA, 1, "Tổ chuyển đổi số cộng đồng đã có ở tất cả các xã, phường, thị trấn của Yên Bái", True),
    ("Yên Bái", D.DATA, 2, "Yên Bái đạt 16/22 mục tiêu chuyển đổi số đến năm 2025, tức hơn 72%", True),
    ("Yên Bái", D.DATA, 2, "Chè Shan tuyết cổ thụ ở Yên Bái được gắn mã QR để truy xuất nguồn gốc", True),
    ("Yên Bái", D.DATA, 2, "Sổ tay đảng viên điện tử thay thế hoàn toàn sinh hoạt chi bộ trực tiếp", False),
    (
        "Sắp xếp đơn vị hành chính",
        D.DATA,
        1,
        "Từ 1/7/2025 chính quyền địa phương tổ chức theo hai cấp: tỉnh và xã",
        True,
    ),
    ("Sắp xếp đơn vị hành chính", D.DATA, 2, "Sau sắp xếp năm 2025, tỉnh Yên Bái hợp nhất vào tỉnh Lào Cai", True),
    ("Sắp xếp đơn vị hành chính", D.DATA, 2, "Sau sắp xếp năm 2025 vẫn còn cấp huyện", False),
    (
        "Đánh giá cán bộ",
        D.PROBLEM_SOLVING,
        3,
        "Theo Nghị định 335/2025/NĐ-CP, cán bộ, công chức được đánh giá theo tháng, quý bằng KPI",
        True,
    ),
]

# (topic, domain, level, question, [(left, right)])
MATCHINGS = [
    (
        "Chuyển đổi số",
        D.DATA,
        2,
        "Ghép mỗi trụ cột với ví dụ phù hợp",
        [
            ("Chính quyền số", "Nộp hồ sơ thủ tục trực tuyến"),
            ("Kinh tế số", "Bán chè qua sàn thương mại điện tử"),
            ("Xã hội số", "Người dân học kỹ năng số"),
        ],
    ),
    (
        "Chuyển đổi số",
        D.DATA,
        2,
        "Ghép chữ viết tắt với nghĩa",
        [
            ("CĐS", "Chuyển đổi số"),
            ("DTI", "Chỉ số chuyển đổi số"),
            ("OTP", "Mật khẩu dùng một lần"),
        ],
    ),
    (
        "Yên Bái",
        D.DATA,
        3,
        "Ghép con số với nội dung (Yên Bái)",
        [
            ("1.356", "thôn, bản, tổ dân phố"),
            ("173", "xã có Tổ CĐS cộng đồng"),
            ("13.498", "cán bộ dự thi"),
        ],
    ),
    (
        "Khung năng lực số",
        D.DATA,
        2,
        "Ghép miền năng lực với ví dụ",
        [
            ("An toàn", "Bảo vệ mật khẩu, dữ liệu cá nhân"),
            ("Sáng tạo nội dung số", "Làm video giới thiệu sản phẩm"),
            ("Ứng dụng trí tuệ nhân tạo", "Viết câu lệnh cho trợ lý ảo"),
        ],
    ),
    (
        "An toàn thông tin",
        D.SAFETY,
        2,
        "Ghép tình huống với cách xử lý đúng",
        [
            ("Tin nhắn đòi mã OTP", "Không cung cấp, báo ngân hàng"),
            ("Cuộc gọi xưng công an yêu cầu chuyển tiền", "Dập máy, báo công an xã"),
            ("Đường liên kết lạ trúng thưởng", "Không bấm vào"),
        ],
    ),
]


def _number(value) -> str:
    text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def _choices(right: str, wrong) -> dict:
    return {"choices": [{"text": right, "fraction": 100}, *({"text": w, "fraction": 0} for w in wrong)]}


def _figure_questions(topic, domain, level, stem, value, unit, distractors):
    shown = f"{_number(value)} {unit}".strip()
    tolerance = 0.05 if isinstance(value, float) else 0
    yield (
        QuestionKind.NUMERIC,
        f"{stem}? (nhập số)",
        {"answers": [{"value": value, "tolerance": tolerance, "fraction": 100}]},
    )
    yield QuestionKind.SINGLE, f"{stem}?", _choices(shown, [f"{_number(d)} {unit}".strip() for d in distractors])
    yield QuestionKind.TRUE_FALSE, f"Đúng hay sai: {_stated(stem, value)}.", {"answer": True}
    yield QuestionKind.TRUE_FALSE, f"Đúng hay sai: {_stated(stem, distractors[0])}.", {"answer": False}


def _stated(stem: str, value) -> str:
    """The question turned into a statement: "... có bao nhiêu thôn" → "... có 1.356 thôn"."""
    if stem.startswith("Bao nhiêu"):
        return _number(value) + stem.removeprefix("Bao nhiêu")
    return stem.replace("bao nhiêu", _number(value), 1)


def _term_questions(topic, domain, level, term, meaning, wrong):
    yield (
        QuestionKind.SINGLE,
        f"“{term}” là gì?",
        _choices(meaning[0].upper() + meaning[1:], [w[0].upper() + w[1:] for w in wrong]),
    )
    yield QuestionKind.TRUE_FALSE, f"Đúng hay sai: “{term}” là {wrong[0]}.", {"answer": False}
    yield QuestionKind.TRUE_FALSE, f"Đúng hay sai: “{term}” là {meaning}.", {"answer": True}


def bank_questions():
    """(topic, domain, level, kind, text, data) of every demo question."""
    for topic, domain, level, *fact in FIGURES:
        for kind, text, data in _figure_questions(topic, domain, level, *fact):
            yield topic, domain, level, kind, text, data
    terms_by_topic: dict[str, list] = {}
    for topic, domain, level, term, meaning, wrong in TERMS:
        terms_by_topic.setdefault(topic, []).append(term)
        for kind, text, data in _term_questions(topic, domain, level, term, meaning, wrong):
            yield topic, domain, level, kind, text, data
    for topic, domain, level, term, meaning, _wrong in TERMS:
        yield (
            topic,
            domain,
            level,
            QuestionKind.SHORT,
            f"Điền thuật ngữ: “{meaning[0].upper() + meaning[1:]}” được gọi là gì?",
            {"answers": [{"text": term, "fraction": 100}]},
        )
    for topic, domain, level, statement, truth in STATEMENTS:
        yield topic, domain, level, QuestionKind.TRUE_FALSE, f"{statement}.", {"answer": truth}
    safety = [s for s in STATEMENTS if s[0] == "An toàn thông tin"]
    yield (
        "An toàn thông tin",
        D.SAFETY,
        2,
        QuestionKind.MULTIPLE,
        "Chọn tất cả những việc nên làm để giữ an toàn trên mạng",
        {
            "choices": [
                {"text": text, "fraction": round(100 / sum(1 for s in safety if s[4]), 5) if truth else -100}
                for _t, _d, _l, text, truth in safety
            ]
        },
    )
    for topic, domain, level, text, pairs in MATCHINGS:
        yield topic, domain, level, QuestionKind.MATCHING, text, {"pairs": [{"left": a, "right": b} for a, b in pairs]}
