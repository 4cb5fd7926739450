"""The Party rules of badges (chibo.rules): the years of party age, the award occasions,
early and posthumous awards, and how long a discipline holds a badge back."""

from django.utils.translation import gettext_lazy

from chibo.rules.catalogue import rule

BADGES = gettext_lazy("Party badges")

rule(
    "badge_years",
    gettext_lazy("Badges at these years of party age"),
    "years",
    group=BADGES,
    order=400,
)
rule("badge_occasions", gettext_lazy("Award occasions"), "occasions", group=BADGES, order=401)
rule(
    "badge_early_ill_months",
    gettext_lazy("Serious illness: months early, per badge"),
    "map",
    key_unit=gettext_lazy("years of party age"),
    unit=gettext_lazy("months"),
    group=BADGES,
    order=402,
)
rule(
    "badge_posthumous_months",
    gettext_lazy("Posthumous award: months early at most"),
    "int",
    unit=gettext_lazy("months"),
    group=BADGES,
    order=403,
)
rule(
    "badge_discipline_wait_months",
    gettext_lazy("A disciplined member waits, per discipline"),
    "map",
    keys=("reprimand", "warning", "dismissal"),
    key_labels=(gettext_lazy("Reprimand"), gettext_lazy("Warning"), gettext_lazy("Dismissal")),
    unit=gettext_lazy("months"),
    group=BADGES,
    order=404,
)
