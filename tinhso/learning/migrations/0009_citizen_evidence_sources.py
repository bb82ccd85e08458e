"""The evidence source of each digital-citizen criterion created before criteria had one (by source key)."""

from django.db import migrations

# A copy of citizens.EVIDENCE_SOURCES as of this migration (migrations do not import the app's code).
EVIDENCE_SOURCES = {
    "identity": "Tài khoản định danh điện tử VNeID (hồ sơ công dân số do xã xác nhận)",
    "online_services": "Cổng Dịch vụ công quốc gia (số lượt ghi trong hồ sơ công dân số)",
    "cashless": "Thanh toán không dùng tiền mặt (hồ sơ công dân số)",
    "contests": "Cuộc thi trực tuyến trên Tỉnh Số (lượt thi đã nộp trong năm)",
    "best_percent": "Cuộc thi trực tuyến trên Tỉnh Số (kết quả các bài thi trong năm)",
    "basic_course": "Khóa học kỹ năng số cơ bản trên Tỉnh Số (bài học và bài kiểm tra cuối khóa)",
}


def fill(apps, schema_editor):
    Criterion = apps.get_model("scoring", "Criterion")
    criteria = Criterion.objects.filter(
        criteria_set__subject_kind="learning.digital_citizen", evidence_source="", source_key__in=EVIDENCE_SOURCES
    )
    for criterion in criteria:
        criterion.evidence_source = EVIDENCE_SOURCES[criterion.source_key]
        criterion.save(update_fields=["evidence_source"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0008_question_image"),
        ("scoring", "0003_evidence_source_and_recorded_at"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
