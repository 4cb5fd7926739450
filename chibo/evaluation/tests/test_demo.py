"""The demo's annual evaluation (chibo.evaluation.demo): who is listed and who is left out,
recomputed from the placements, status periods and events with the rules of 31/12; the cap
within each cell and each parent's units; the limits of discipline and illness; the scores of
366-QĐ/TW; and the open campaign where the member persona's walk-through starts."""

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.db.models import F

from chibo import rules
from chibo.accounts.demo import COMMUNE, MEMBER, SECRETARY
from chibo.accounts.models import User
from chibo.evaluation.models import Campaign, Evaluation, Level, Override, SelfAssessment
from chibo.meetings.services.quality import year_rating
from chibo.members.models import (
    ADMISSIONS,
    IN_PARTY,
    EventKind,
    ExemptionReason,
    MemberEvent,
    Placement,
    PlacementKind,
    StatusPeriod,
)
from chibo.org.models import CELL_KINDS, Kind, OrgUnit
from chibo.rules.calendar import add_months
from chibo.rules.models import RuleVersion
from chibo.testing.demo import AS_OF, run_demo

YEARS = [2023, 2024, 2025]
LOWER = [Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.INCOMPLETE]  # best first


@pytest.fixture
def demo(db) -> None:
    run_demo()


def source_in_force(on: dt.date) -> str:
    versions = RuleVersion.objects.filter(province=None, effective_from__lte=on)
    setting = [
        v for v in versions.order_by("effective_from", "pk") if "evaluation_form" in v.values
    ]
    return setting[-1].source


def listed(on: dt.date) -> dict[int, int]:
    """member -> cell: officially placed and in the Party on `on`."""
    in_party = set(
        StatusPeriod.objects.filter(status__in=IN_PARTY, valid_from__lte=on)
        .exclude(valid_to__lte=on)
        .values_list("member_id", flat=True)
    )
    placed = Placement.objects.filter(kind=PlacementKind.OFFICIAL, start__lte=on).exclude(
        end__lte=on
    )
    return {m: u for m, u in placed.values_list("member_id", "unit_id") if m in in_party}


def test_a_published_campaign_a_year_under_the_regulation_in_force(demo):
    bases = set(
        OrgUnit.objects.filter(kind__in=[Kind.BASE_COMMITTEE, Kind.BASE_CELL]).values_list(
            "pk", flat=True
        )
    )
    provinces = set(OrgUnit.objects.filter(kind=Kind.PROVINCE).values_list("pk", flat=True))
    for year in YEARS:
        campaigns = Campaign.objects.filter(year=year)
        assert {c.unit_id for c in campaigns} == bases | provinces
        assert all(c.published_at is not None and not c.imported for c in campaigns)
        assert {c.regulation for c in campaigns} == {source_in_force(dt.date(year, 12, 31))}
    assert "124-QĐ/TW" in Campaign.objects.filter(year=2024).first().regulation
    assert "366-QĐ/TW" in Campaign.objects.filter(year=2025).first().regulation
    # The demo's year: one campaign, the commune persona's, at the self-assessment stage.
    commune = User.objects.get(username=COMMUNE.username).grants.get().unit_id
    (current,) = Campaign.objects.filter(year=AS_OF.year)
    assert current.unit_id == commune and not current.published
    assert AS_OF < current.self_due < current.cell_due < current.decision_due < current.publish_due
    assert not current.evaluations.exclude(proposed_level="", level="").exists()


def test_every_member_listed_on_31_12_and_those_the_rules_leave_out(demo):
    exempt = defaultdict(list)
    admitted = defaultdict(list)
    for e in MemberEvent.objects.filter(kind__in=[EventKind.EXEMPTED, *ADMISSIONS]):
        (exempt if e.kind == EventKind.EXEMPTED else admitted)[e.member_id].append(e)
    submitted = set(
        SelfAssessment.objects.exclude(submitted_at=None).values_list("member_id", "year")
    )
    for year in YEARS:
        last = dt.date(year, 12, 31)
        r = rules.at(last)
        rows = {e.member_id: e for e in Evaluation.objects.filter(year=year, member__isnull=False)}
        expected = listed(last)
        assert set(rows) == set(expected), year
        codes = Counter()
        for member, row in rows.items():
            assert row.cell_id == expected[member]
            latest = max(e.date for e in admitted[member] if e.date <= last)
            is_exempt = any(
                e.date <= last and (e.end_date is None or e.end_date >= last)
                for e in exempt[member]
            )
            if latest > add_months(last, -r.evaluation_min_months):
                code = "admitted"
            elif is_exempt and r.evaluation_exempt == "if_assessed":
                code = "" if (member, year) in submitted else "exempt_no_self"
            else:
                code = ""
            assert row.not_rated == code, (row, code)
            assert bool(row.level) == (code == ""), row
            codes[code] += 1
        assert codes["exempt_no_self"] and codes[""] > 0.9 * len(rows)
    assert Evaluation.objects.filter(not_rated="admitted").exists()


def test_levels_keep_the_cap_the_limits_and_a_realistic_spread(demo):
    disciplined = set(
        MemberEvent.objects.filter(kind__in=[EventKind.REPRIMAND, EventKind.WARNING]).values_list(
            "member_id", "date__year"
        )
    )
    ill = defaultdict(list)
    for e in MemberEvent.objects.filter(kind=EventKind.EXEMPTED, reason=ExemptionReason.ILLNESS):
        ill[e.member_id].append(e)
    parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    kinds = dict(OrgUnit.objects.values_list("pk", "kind"))
    limited = 0
    for year in YEARS:
        r = rules.at(dt.date(year, 12, 31))
        rated = Evaluation.objects.filter(year=year, not_rated="")
        groups = defaultdict(Counter)
        failing = set()
        for e in rated:
            group = ("cell", e.cell_id) if e.member_id else ("units", parents[e.unit_id])
            groups[group][e.level] += 1
            if e.member_id and e.level == Level.INCOMPLETE:
                failing |= {e.cell_id, parents[e.cell_id]}
            assert e.proposed_votes * 2 > e.proposed_voters > 0
            assert e.proposed_on <= e.decided_on < AS_OF
            if e.level != e.proposed_level:  # the cap: proposed excellent, decided good
                assert (e.proposed_level, e.level) == (Level.EXCELLENT, Level.GOOD)
            if e.member_id and (e.member_id, year) in disciplined:
                assert LOWER.index(e.level) >= LOWER.index(Level.COMPLETE)
                limited += 1
            for x in ill.get(e.member_id, []):
                start = max(x.date, dt.date(year, 1, 1))
                end = min(x.end_date or dt.date(year, 12, 31), dt.date(year, 12, 31))
                if add_months(start, r.evaluation_ill_months) <= end + dt.timedelta(days=1):
                    assert e.level in (Level.COMPLETE, Level.INCOMPLETE)
        for group, levels in groups.items():
            assert levels[Level.EXCELLENT] <= r.evaluation_excellent_cap * levels[Level.GOOD], group
        members = Counter(rated.filter(member__isnull=False).values_list("level", flat=True))
        n = sum(members.values())
        assert 0.09 < members[Level.EXCELLENT] / n < 0.17
        assert 0.68 < members[Level.GOOD] / n < 0.82
        assert 0.05 < members[Level.COMPLETE] / n < 0.16
        # A unit rated excellent: none of its members failed; its meetings' check, where the
        # year of meetings is not rated good, overridden with the reason.
        overridden = set(
            Override.objects.filter(campaign__year=year).values_list("check_key", flat=True)
        )
        for e in rated.filter(unit__isnull=False, level=Level.EXCELLENT):
            assert e.unit_id not in failing
            if kinds[e.unit_id] in CELL_KINDS:
                rating = year_rating(cell=OrgUnit.objects.get(pk=e.unit_id), year=year).rating
                assert rating == "good" or f"meetings:unit:{e.unit_id}" in overridden
    assert limited  # some members were disciplined in a rated year
    assert Evaluation.objects.filter(level=Level.INCOMPLETE, member__isnull=False).exists()
    capped = Evaluation.objects.exclude(proposed_level="").exclude(proposed_level=F("level"))
    assert capped.exists()


def test_scores_of_366_within_their_levels_and_the_self_assessments(demo):
    r = rules.at(dt.date(2025, 12, 31))
    t = r.evaluation_thresholds
    ranges = {
        Level.EXCELLENT: (t["excellent"], 100),
        Level.GOOD: (t["good"], t["excellent"] - 1),
        Level.COMPLETE: (t["complete"], t["good"] - 1),
        Level.INCOMPLETE: (0, t["complete"] - 1),
    }
    rated = Evaluation.objects.filter(year=2025, not_rated="")
    for e in rated:
        low, high = ranges[e.level]
        assert low <= e.score <= high, e
    assert not Evaluation.objects.filter(year__in=[2023, 2024]).exclude(score=None).exists()
    selves = {s.member_id: s for s in SelfAssessment.objects.filter(year=2025)}
    members = rated.filter(member__isnull=False)
    assert len(selves) > 0.5 * members.count()
    for e in members:
        s = selves.get(e.member_id)
        if s is None:
            continue
        assert s.form == "366" and s.submitted_at is not None and s.campaign_id == e.campaign_id
        assert 0 <= s.general_score <= 30 and 0 <= s.results_score <= 70
        total = s.general_score + s.results_score
        # The level the score gives (366-QĐ/TW): excellent needs every task done and 30%
        # exceeded; what the member proposed is what the cell proposed.
        low, high = ranges[s.proposed_level]
        assert low <= total <= high
        if s.proposed_level == Level.EXCELLENT:
            assert s.tasks_all_done and s.exceeded_share >= r.evaluation_exceeded_share
        assert s.proposed_level == e.proposed_level
        assert s.score == e.score or e.level != e.proposed_level
        assert {"qualities", "duties"} <= set(s.answers)


def test_the_member_persona_has_a_self_assessment_to_fill(demo):
    member = User.objects.get(username=MEMBER.username).member_id
    secretary = User.objects.get(username=SECRETARY.username)
    cell = secretary.grants.get().unit_id
    row = Evaluation.objects.get(member_id=member, year=AS_OF.year)
    assert row.not_rated == "" and row.cell_id == cell and not row.campaign.published
    assert not SelfAssessment.objects.filter(member_id=member, year=AS_OF.year).exists()
    # Some of the cell have handed theirs in; the secretary sees who has not.
    submitted = SelfAssessment.objects.filter(
        year=AS_OF.year, campaign=row.campaign, submitted_at__isnull=False
    )
    listed_rows = Evaluation.objects.filter(campaign=row.campaign, member__isnull=False)
    in_cell = set(listed_rows.filter(cell_id=cell).values_list("member_id", flat=True))
    assert len({s.member_id for s in submitted} & in_cell) >= 3
    assert submitted.count() < listed_rows.filter(not_rated="").count()
    for s in submitted:
        assert s.submitted_at.date() < AS_OF and s.proposed_level and s.general_score is not None
    assert SelfAssessment.objects.filter(year=AS_OF.year, submitted_at=None).exists()
    # The commune's cells are listed too, to be rated by the committee.
    assert Evaluation.objects.filter(campaign=row.campaign, unit_id=cell).exists()
