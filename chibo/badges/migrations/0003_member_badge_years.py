"""Fill `Member.badge_years` (members.0014), the highest badge recorded for each member, from
the awards already recorded; from here on chibo.badges.services keeps it. One UPDATE of the
members who hold a badge (a few hundred thousand rows in the 1,000,000-member demo)."""

from django.db import migrations

FILL = """
UPDATE members_member SET badge_years = (
    SELECT MAX(a.years) FROM badges_badgeaward a WHERE a.member_id = members_member.id
)
WHERE id IN (SELECT member_id FROM badges_badgeaward)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("badges", "0002_occasion_province"),
        ("members", "0014_member_badge_years"),
    ]

    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop)]
