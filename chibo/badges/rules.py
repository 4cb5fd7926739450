"""The Party rules of badges (chibo.rules): the years of party age, the award occasions,
early and posthumous awards, and how long a discipline holds a badge back."""

from django.utils.translation import gettext_lazy as _l

from chibo.rules.catalogue import rule

BADGES = _l("Party badges")

rule("badge_years", _l("Badges at these years of party age"), "years", group=BADGES, order=400)
rule("badge_occasions", _l("Award occasions"), "occasions", group=BADGES, order=401)
rule(
    "badge_early_ill_months",
    _l("Serious illness: months early, per badge"),
    "map",
    group=BADGES,
    order=402,
)
rule(
    "badge_posthumous_months",
    _l("Posthumous award: months early at most"),
    "int",
    unit=_l("months"),
    group=BADGES,
    order=403,
)
rule(
    "badge_discipline_wait_months",
    _l("A disciplined member waits, per discipline"),
    "map",
    keys=("reprimand", "warning", "dismissal"),
    group=BADGES,
    order=404,
)
