import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from chibo import rules
from chibo.rules import queries
from chibo.rules.catalogue import ENTRIES, rule
from chibo.rules.models import RuleVersion


def test_rules_follow_their_effective_dates(db):
    before = rules.at(dt.date(2025, 10, 27))
    on = rules.at(dt.date(2025, 10, 28))
    assert before.meeting_min_minutes is None  # no minimum before Hướng dẫn 42
    assert on.meeting_min_minutes == 90 and on.meeting_min_minutes_combined == 120
    assert on.ordinary_majority == Fraction(1, 2) and on.special_majority == Fraction(2, 3)
    assert rules.at(dt.date(2018, 7, 5)).quality_good is None
    assert rules.at(dt.date(2018, 7, 6)).quality_good == 90
    assert rules.at(dt.date(2018, 7, 6)).good_meeting_attendance == Fraction(17, 20)


def test_a_province_varies_scoring_from_its_own_date(world):
    RuleVersion.objects.create(
        effective_from=dt.date(2026, 1, 1),
        source="Hướng dẫn của Tỉnh ủy (thử)",
        province=world.province,
        values={"quality_good": 85},
    )
    assert rules.at(dt.date(2025, 12, 31), world.cell).quality_good == 90
    assert rules.at(dt.date(2026, 1, 1), world.cell).quality_good == 85
    assert rules.at(dt.date(2026, 1, 1), world.other_cell).quality_good == 85  # same province
    assert rules.at(dt.date(2026, 1, 1)).quality_good == 90  # nationwide unchanged


def test_a_new_version_leaves_earlier_dates_alone(db):
    past = rules.at(dt.date(2026, 3, 1))
    RuleVersion.objects.create(
        effective_from=dt.date(2026, 6, 1),
        source="Quy định mới (thử)",
        values={"meeting_min_minutes": 100},
    )
    assert rules.at(dt.date(2026, 3, 1)) == past
    assert rules.at(dt.date(2026, 6, 1)).meeting_min_minutes == 100


def test_the_book_reads_what_at_reads(world):
    RuleVersion.objects.create(
        effective_from=dt.date(2026, 1, 1),
        source="Hướng dẫn của Tỉnh ủy (thử)",
        province=world.province,
        values={"quality_good": 85},
    )
    book = rules.RuleBook()
    for day in [
        dt.date(2018, 7, 5),
        dt.date(2025, 10, 28),
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 1),
    ]:
        assert book.at(day, world.province.pk) == rules.at(day, world.cell)
        assert book.at(day, None) == rules.at(day)


def test_the_book_builds_the_rules_once_between_two_versions(world, monkeypatch):
    """A compliance page asks the book for each of a year's meeting days: days on which the
    same versions are in force share one build; a version's first day starts a new one."""
    RuleVersion.objects.create(
        effective_from=dt.date(2026, 6, 1),
        source="Quy định mới (thử)",
        values={"meeting_min_minutes": 100},
    )
    built = []
    real_build = queries._build
    monkeypatch.setattr(queries, "_build", lambda *a: built.append(a[1]) or real_build(*a))
    book = rules.RuleBook()
    may = [book.at(dt.date(2026, 5, day), world.province.pk) for day in range(1, 32)]
    june = [book.at(dt.date(2026, 6, day), world.province.pk) for day in range(1, 31)]
    assert built == [dt.date(2026, 5, 1), dt.date(2026, 6, 1)]
    assert {r.meeting_min_minutes for r in may} == {
        rules.at(dt.date(2026, 5, 31)).meeting_min_minutes
    }
    assert {r.meeting_min_minutes for r in june} == {100}
    assert book.at(dt.date(2026, 5, 31), None) == rules.at(dt.date(2026, 5, 31))


def test_every_rule_is_declared_once_by_the_app_that_reads_it(db):
    """The rules are declared in the apps' rules.py (no list of them in chibo.rules), each
    once; every name a seeded regulation sets is declared, and a rule nobody declares is not
    readable."""
    assert len(ENTRIES) > 20  # discovered from the apps
    seeded = {name for v in RuleVersion.objects.all() for name in v.values}
    assert seeded <= set(ENTRIES.names())
    declared_in = {}
    for app in ("meetings", "development", "members", "badges", "evaluation", "dues"):
        module = __import__(f"chibo.{app}.rules", fromlist=["x"])
        source = Path(module.__file__).read_text(encoding="utf-8")
        declared_in[app] = {n for n in ENTRIES.names() if f'"{n}"' in source}
    assert declared_in["badges"] == {n for n in ENTRIES.names() if n.startswith("badge_")}
    assert "probation_months" in declared_in["members"]
    assert sum(len(names) for names in declared_in.values()) == len(ENTRIES)
    with pytest.raises(ValueError, match="registered twice"):
        rule("probation_months", "again", "int")
    with pytest.raises(AttributeError, match="No rule named"):
        rules.at(dt.date(2026, 1, 1)).no_such_rule  # noqa: B018
