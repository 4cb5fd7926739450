"""The national agenda of a cell meeting (Hướng dẫn 12-HD/BTCTW, 06/7/2018), kept in substance
since. Its items are the Party's own Vietnamese wording: data, not interface text."""

import datetime as dt

from django.db import migrations

ITEMS = [
    ("opening", "Thu đảng phí"),
    (
        "opening",
        "Báo cáo tình hình đảng viên dự sinh hoạt: miễn sinh hoạt, có mặt, vắng mặt và lý do",
    ),
    ("opening", "Thông qua chương trình sinh hoạt"),
    ("opening", "Cử thư ký ghi biên bản"),
    ("content", "Thông tin thời sự, chủ trương, chính sách mới"),
    ("content", "Kiểm điểm việc thực hiện nhiệm vụ tháng trước"),
    ("content", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
    ("content", "Ý kiến, kiến nghị của đảng viên và quần chúng"),
    ("content", "Nhiệm vụ tháng tới, phân công đảng viên thực hiện"),
    ("content", "Thảo luận"),
    ("closing", "Biểu quyết thông qua nghị quyết hoặc kết luận"),
    ("closing", "Đọc lại và thông qua biên bản"),
    ("closing", "Chấm điểm chất lượng buổi sinh hoạt"),
]


def seed(apps, schema_editor):
    AgendaTemplate = apps.get_model("meetings", "AgendaTemplate")
    AgendaTemplate.objects.get_or_create(
        province=None,
        effective_from=dt.date(2018, 7, 6),
        defaults={
            "source": "Hướng dẫn 12-HD/BTCTW ngày 06/7/2018",
            "items": [{"section": s, "title": t} for s, t in ITEMS],
        },
    )


def unseed(apps, schema_editor):
    AgendaTemplate = apps.get_model("meetings", "AgendaTemplate")
    AgendaTemplate.objects.filter(province=None, effective_from=dt.date(2018, 7, 6)).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_agenda_documents_officers")]
    operations = [migrations.RunPython(seed, unseed)]
