"""`chibo demo --provinces N`: a country generated province by province, each province in its
own transaction, resumable after a stop, the logins in the first province only. Checked
against the rows in the database, not the generator's plan."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from chibo.accounts.models import RoleGrant, User
from chibo.core.demo import Plan
from chibo.demo.generate import country_provinces
from chibo.members.models import Member, Placement
from chibo.org.models import Ancestry, Kind, OrgUnit

AS_OF = dt.date(2026, 6, 15)

pytestmark = pytest.mark.slow


def run(*extra: str) -> str:
    out = StringIO()
    call_command(
        "demo", "--seed", "3", "--as-of", AS_OF.isoformat(), "--no-serve", *extra, stdout=out
    )
    return out.getvalue()


def province_of(unit_id: int) -> int:
    return (
        Ancestry.objects.filter(descendant_id=unit_id, ancestor__kind=Kind.PROVINCE)
        .values_list("ancestor_id", flat=True)
        .get()
    )


@pytest.mark.django_db
def test_a_country_is_generated_province_by_province_and_resumed_after_a_stop(monkeypatch):
    chosen = country_provinces(3, 3)
    assert len({p.code for p in chosen}) == 3

    # The second province fails half-way: the first stays, the second leaves nothing.
    real_run = Plan.run

    def failing(self, planners):
        if self.province_code == chosen[1].code:
            raise RuntimeError("stopped")
        return real_run(self, planners)

    monkeypatch.setattr(Plan, "run", failing)
    with pytest.raises(RuntimeError):
        run("--members", "240", "--provinces", "3")
    provinces = OrgUnit.objects.filter(kind=Kind.PROVINCE)
    assert sorted(provinces.values_list("code", flat=True)) == [f"T{chosen[0].code:02d}"]
    assert Member.objects.count() == 80

    # Run again: the first is skipped, the two others are written.
    monkeypatch.setattr(Plan, "run", real_run)
    out = run("--members", "240", "--provinces", "3")
    assert "already generated, skipped" in out
    assert sorted(provinces.values_list("code", flat=True)) == sorted(
        f"T{p.code:02d}" for p in chosen
    )
    # Every province has its 80 members placed under it today.
    per_province: dict[int, int] = {}
    for unit_id in Placement.objects.filter(end__isnull=True).values_list("unit_id", flat=True):
        top = province_of(unit_id)
        per_province[top] = per_province.get(top, 0) + 1
    assert Member.objects.count() == 240
    assert sorted(per_province.values())[0] > 0
    assert len(per_province) == 3
    # Unique across provinces (the database would refuse duplicates; check there are some).
    cards = list(Member.objects.exclude(card_number=None).values_list("card_number", flat=True))
    assert len(cards) == len(set(cards)) > 100
    # The demo logins exist once, scoped in the first province.
    first = provinces.get(code=f"T{chosen[0].code:02d}")
    grants = RoleGrant.objects.all()
    assert grants.exists()
    assert {province_of(g.unit_id) for g in grants} == {first.pk}
    assert User.objects.filter(username="province").count() == 1

    # A third run writes nothing.
    before = Member.objects.count()
    out = run("--members", "240", "--provinces", "3")
    assert out.count("already generated, skipped") == 3
    assert Member.objects.count() == before
    assert not Member.objects.values("code").annotate(n=Count("id")).filter(n__gt=1).exists()


@pytest.mark.django_db
def test_the_country_is_checked_before_anything_is_written():
    with pytest.raises(CommandError, match="at least 50 a province"):
        run("--members", "100", "--provinces", "3")
    with pytest.raises(CommandError, match="from 1 to 34"):
        run("--members", "5000", "--provinces", "35")
    assert not OrgUnit.objects.exists()
