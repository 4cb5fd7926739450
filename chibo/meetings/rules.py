"""The Party rules meetings read (chibo.rules): length, documents, votes, the quality score
(which a province may set for itself) and the removal review's count of missed meetings."""

from django.utils.translation import gettext_lazy as _l

from chibo.rules.catalogue import rule

MEETINGS = _l("Meetings")
QUALITY = _l("Meeting quality score")
OF_COUNTED = _l("of the official members counted")

rule(
    "meeting_min_minutes",
    _l("Shortest monthly meeting"),
    "int",
    unit=_l("minutes"),
    group=MEETINGS,
    order=100,
)
rule(
    "meeting_min_minutes_combined",
    _l("Shortest meeting when a thematic and a monthly meeting are held together"),
    "int",
    unit=_l("minutes"),
    group=MEETINGS,
    order=101,
)
rule(
    "documents_days_before",
    _l("Documents posted to the members before the meeting"),
    "int",
    unit=_l("days"),
    group=MEETINGS,
    order=102,
)
rule(
    "min_official_members",
    _l("Official members a cell needs at least"),
    "int",
    group=MEETINGS,
    order=103,
)
rule(
    "ordinary_majority",
    _l("An ordinary resolution passes with more than"),
    "fraction",
    unit=OF_COUNTED,
    group=MEETINGS,
    order=104,
)
# Admission and official recognition are votes of the cell too (development reads it).
rule(
    "special_majority",
    _l("Admission and official recognition need at least"),
    "fraction",
    unit=OF_COUNTED,
    group=MEETINGS,
    order=105,
)

rule(
    "quality_max",
    _l("Points per part of the checklist"),
    "map",
    keys=("preparation", "attendance", "conduct", "closing"),
    group=QUALITY,
    order=200,
    provincial=True,
)
rule(
    "quality_good",
    _l("Good (Tốt) from"),
    "int",
    unit=_l("points"),
    group=QUALITY,
    order=201,
    provincial=True,
)
rule(
    "quality_fair",
    _l("Fair (Khá) from"),
    "int",
    unit=_l("points"),
    group=QUALITY,
    order=202,
    provincial=True,
)
rule(
    "quality_average",
    _l("Average (Trung bình) from"),
    "int",
    unit=_l("points"),
    group=QUALITY,
    order=203,
    provincial=True,
)
rule(
    "good_meeting_attendance",
    _l("A good meeting has attendance above"),
    "fraction",
    group=QUALITY,
    order=204,
    provincial=True,
)
rule(
    "year_good_min_good_meetings",
    _l("A good year needs at least this many good meetings"),
    "int",
    group=QUALITY,
    order=205,
    provincial=True,
)

# Listed with the admission rules: it starts a review of the member, as probation's end does.
rule(
    "removal_missed_meetings",
    _l("Unexcused missed meetings in a year that call for a removal review"),
    "int",
    group=_l("Admission and probation"),
    order=306,
)
