"""One name for a user wherever a record prints one: the linked member's full name, else the
account's full name, else the login (User.display_name, in templates {{ user|person }})."""

from django.template import Context, Template

from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f


def test_the_member_name_then_the_account_name_then_the_login(world):
    cell = f.unit(UnitKind.CELL, world.other_base)
    lan = f.member(cell, full_name="Nguyễn Thị Lan")
    linked = f.user(username="lan01", first_name="Lan", last_name="Nguyen", member=lan)
    named = f.user(username="hung02", first_name="Văn Hùng", last_name="Trần")
    bare = f.user(username="tk03", first_name="", last_name="")
    assert linked.display_name == "Nguyễn Thị Lan"
    assert named.display_name == "Văn Hùng Trần" == named.get_full_name()
    assert bare.display_name == "tk03"
    shown = Template("{{ a|person }}|{{ b|person }}|{{ c|person }}|{{ d|person }}").render(
        Context({"a": linked, "b": named, "c": bare, "d": None})
    )
    assert shown == "Nguyễn Thị Lan|Văn Hùng Trần|tk03|"
