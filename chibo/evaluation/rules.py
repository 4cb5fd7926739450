"""The Party rules of the annual evaluation (chibo.rules): the regulation's form, the cap on
excellent ratings and how a province reads it, who is not rated, the limits discipline and
illness set, the points of 366-QĐ/TW, and when a party organisation may be rated excellent.

A year is rated by the rules in force on 31/12 of that year (chibo.evaluation.ratable)."""

from django.utils.translation import gettext_lazy

from chibo.rules.catalogue import rule

EVALUATION = gettext_lazy("Annual evaluation")
LEVEL_KEYS = ("excellent", "good", "complete")
LEVEL_LABELS = (
    gettext_lazy("Excellently completed duties"),
    gettext_lazy("Well completed duties"),
    gettext_lazy("Completed duties"),
)

rule(
    "evaluation_form",
    gettext_lazy("Regulation and self-assessment form"),
    "choice",
    keys=("132", "124", "366"),
    key_labels=(
        gettext_lazy("Regulation 132-QĐ/TW (2018)"),
        gettext_lazy("Regulation 124-QĐ/TW (2023)"),
        gettext_lazy("Regulation 366-QĐ/TW with Guidance 43-HD/BTCTW (100 points)"),
    ),
    group=EVALUATION,
    order=600,
)
rule(
    "evaluation_excellent_cap",
    gettext_lazy("Excellent ratings at most, as a share of those rated good"),
    "fraction",
    group=EVALUATION,
    order=601,
    provincial=True,
)
rule(
    "evaluation_cap_base",
    gettext_lazy("The cap counts, as “rated good”"),
    "choice",
    keys=("good", "good_or_above"),
    key_labels=(
        gettext_lazy("those rated good only"),
        gettext_lazy("those rated good or excellent"),
    ),
    group=EVALUATION,
    order=602,
    provincial=True,
)
rule(
    "evaluation_cap_group",
    gettext_lazy("The cap applies within each"),
    "choice",
    keys=("cell", "campaign"),
    key_labels=(
        gettext_lazy("cell (members) and parent (units)"),
        gettext_lazy("campaign as a whole"),
    ),
    group=EVALUATION,
    order=603,
    provincial=True,
)
rule(
    "evaluation_min_months",
    gettext_lazy("Not rated: admitted (or unit founded) less than this before the rating"),
    "int",
    unit=gettext_lazy("months"),
    group=EVALUATION,
    order=604,
)
rule(
    "evaluation_ill_months",
    gettext_lazy("Ill this long in the year: not rated good or above"),
    "int",
    unit=gettext_lazy("months"),
    group=EVALUATION,
    order=605,
)
rule(
    "evaluation_exempt",
    gettext_lazy("Members exempt from activities"),
    "choice",
    keys=("not_rated", "if_assessed", "rated"),
    key_labels=(
        gettext_lazy("are not rated"),
        gettext_lazy("are rated only if they submit a self-assessment"),
        gettext_lazy("are rated like the others"),
    ),
    group=EVALUATION,
    order=606,
)
rule(
    "evaluation_discipline_best",
    gettext_lazy("Disciplined in the year: best level allowed (1 excellent … 4 not completed)"),
    "map",
    keys=("reprimand", "warning", "dismissal"),
    key_labels=(gettext_lazy("Reprimand"), gettext_lazy("Warning"), gettext_lazy("Dismissal")),
    group=EVALUATION,
    order=607,
)
rule(
    "evaluation_points",
    gettext_lazy("Points of the self-assessment"),
    "map",
    keys=("general", "results"),
    key_labels=(gettext_lazy("General criteria"), gettext_lazy("Results of tasks")),
    unit=gettext_lazy("points"),
    group=EVALUATION,
    order=608,
)
rule(
    "evaluation_thresholds",
    gettext_lazy("Lowest score of each level"),
    "map",
    keys=LEVEL_KEYS,
    key_labels=LEVEL_LABELS,
    unit=gettext_lazy("points"),
    group=EVALUATION,
    order=609,
)
rule(
    "evaluation_exceeded_share",
    gettext_lazy("Excellent: share of tasks exceeded at least"),
    "int",
    unit="%",
    group=EVALUATION,
    order=610,
)
rule(
    "evaluation_unit_meetings",
    gettext_lazy("A unit rated excellent: its year of meetings rated at least"),
    "choice",
    keys=("good", "fair", "average"),
    key_labels=(gettext_lazy("Good"), gettext_lazy("Fair"), gettext_lazy("Average")),
    group=EVALUATION,
    order=611,
)
rule(
    "evaluation_unit_members",
    gettext_lazy("A unit rated excellent: share of its rated members completing duties or better"),
    "int",
    unit="%",
    group=EVALUATION,
    order=612,
)
