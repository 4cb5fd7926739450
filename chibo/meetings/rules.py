"""The Party rules meetings read (chibo.rules): length, documents, votes, the quality score
(which a province may set for itself) and the removal review's count of missed meetings."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from chibo.rules.catalogue import rule

MEETINGS = gettext_lazy("Meetings")
QUALITY = gettext_lazy("Meeting quality score")
OF_COUNTED = gettext_lazy("of the official members counted")

rule(
    "meeting_min_minutes",
    gettext_lazy("Shortest monthly meeting"),
    "int",
    unit=gettext_lazy("minutes"),
    group=MEETINGS,
    order=100,
)
rule(
    "meeting_min_minutes_combined",
    gettext_lazy("Shortest meeting when a thematic and a monthly meeting are held together"),
    "int",
    unit=gettext_lazy("minutes"),
    group=MEETINGS,
    order=101,
)
rule(
    "documents_days_before",
    gettext_lazy("Documents posted to the members before the meeting"),
    "int",
    unit=gettext_lazy("days"),
    group=MEETINGS,
    order=102,
)
rule(
    "min_official_members",
    gettext_lazy("Official members a cell needs at least"),
    "int",
    group=MEETINGS,
    order=103,
)
rule(
    "ordinary_majority",
    gettext_lazy("An ordinary resolution passes with more than"),
    "fraction",
    unit=OF_COUNTED,
    group=MEETINGS,
    order=104,
)
# Admission and official recognition are votes of the cell too (development reads it).
rule(
    "special_majority",
    gettext_lazy("Admission and official recognition need at least"),
    "fraction",
    unit=OF_COUNTED,
    group=MEETINGS,
    order=105,
)

rule(
    "quality_max",
    gettext_lazy("Points per part of the checklist"),
    "map",
    keys=("preparation", "attendance", "conduct", "closing"),
    key_labels=(
        pgettext_lazy("part of the quality score", "Preparation"),
        pgettext_lazy("part of the quality score", "Attendance"),
        pgettext_lazy("part of the quality score", "Conduct of the meeting"),
        pgettext_lazy("part of the quality score", "Closing"),
    ),
    unit=gettext_lazy("points"),
    group=QUALITY,
    order=200,
    provincial=True,
)
rule(
    "quality_good",
    gettext_lazy("Good (Tốt) from"),
    "int",
    unit=gettext_lazy("points"),
    group=QUALITY,
    order=201,
    provincial=True,
)
rule(
    "quality_fair",
    gettext_lazy("Fair (Khá) from"),
    "int",
    unit=gettext_lazy("points"),
    group=QUALITY,
    order=202,
    provincial=True,
)
rule(
    "quality_average",
    gettext_lazy("Average (Trung bình) from"),
    "int",
    unit=gettext_lazy("points"),
    group=QUALITY,
    order=203,
    provincial=True,
)
rule(
    "good_meeting_attendance",
    gettext_lazy("A good meeting has attendance above"),
    "fraction",
    group=QUALITY,
    order=204,
    provincial=True,
)
rule(
    "year_good_min_good_meetings",
    gettext_lazy("A good year needs at least this many good meetings"),
    "int",
    group=QUALITY,
    order=205,
    provincial=True,
)

# Listed with the admission rules: it starts a review of the member, as probation's end does.
rule(
    "removal_missed_meetings",
    gettext_lazy("Unexcused missed meetings in a year that call for a removal review"),
    "int",
    group=gettext_lazy("Admission and probation"),
    order=306,
)
