"""Two regulations were named half in English ("... and its guidance on admission"); the rules
page shows the name as it is stored, so it is stored in Vietnamese."""

from django.db import migrations

RENAMES = [
    (
        "Điều lệ Đảng (2011) and its guidance on admission",
        "Điều lệ Đảng (2011) và hướng dẫn về kết nạp đảng viên",
    ),
    (
        "Hướng dẫn 12-HD/BTCTW (06/7/2018) and the common provincial scoring on its criteria",
        "Hướng dẫn 12-HD/BTCTW (06/7/2018) và cách chấm điểm chung của các tỉnh theo tiêu chí "
        "của hướng dẫn",
    ),
]


def rename(apps, old_to_new):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    for old, new in old_to_new:
        for version in RuleVersion.objects.filter(province=None, source=old):
            version.source = new
            version.save(update_fields=["source"])


def forwards(apps, schema_editor):
    rename(apps, RENAMES)


def backwards(apps, schema_editor):
    rename(apps, [(new, old) for old, new in RENAMES])


class Migration(migrations.Migration):
    dependencies = [("rules", "0004_member_rules")]
    operations = [migrations.RunPython(forwards, backwards)]
