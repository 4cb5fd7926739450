"""The daily job posts the month's dues; `chibo dues-post` posts a past month."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from chibo.dues import months
from chibo.dues.models import Area, Category, DuesCharge
from chibo.site.tasks import daily

from .helpers import D, basis


def test_the_daily_job_posts_the_months_dues(world):
    basis(world.member, D(2025, 1, 1), Category.OTHER, None, Area.AREA2)
    basis(world.member2, D(2025, 1, 1), Category.OTHER, None, Area.AREA4)
    DuesCharge.objects.all().delete()
    day = timezone.localdate()
    result = daily.call(day.isoformat())
    assert result["dues.charges"] == 2
    assert daily.call(day.isoformat())["dues.charges"] == 0
    assert set(DuesCharge.objects.values_list("month", "amount")) == {
        (months.first(day), 8_000),
        (months.first(day), 4_000),
    }


def test_the_command_posts_a_past_month(world):
    basis(world.member, D(2025, 1, 1), Category.OTHER, None, Area.AREA2)
    basis(world.other_member, D(2025, 1, 1), Category.OTHER, None, Area.AREA1)
    out = io.StringIO()
    call_command("dues-post", "--month", "03/2025", "--org", "x01", stdout=out)
    assert out.getvalue().strip() == "03/2025, X01: 1 charges posted."
    out = io.StringIO()
    call_command("dues-post", "--month", "3/2025", stdout=out)
    assert out.getvalue().strip() == "03/2025, every unit: 1 charges posted."
    assert DuesCharge.objects.filter(month=D(2025, 3, 1)).count() == 2
    with pytest.raises(CommandError, match="Not a month"):
        call_command("dues-post", "--month", "13/2025")
    with pytest.raises(CommandError, match="No unit with the code"):
        call_command("dues-post", "--month", "03/2025", "--org", "NOPE")
