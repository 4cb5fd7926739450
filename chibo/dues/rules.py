"""The Party rules of dues (chibo.rules): the rates on the salary and the pension, the fixed
amounts, the share each level keeps, and the unpaid months that bring a member to the removal
review. 342-QĐ/TW (2010) until 01-QĐ/TW (03/02/2026)."""

from django.utils.translation import gettext_lazy

from chibo.rules.catalogue import rule

DUES = gettext_lazy("Party dues")

rule(
    "dues_salary_rate",
    gettext_lazy("Salaried members: share of the (social-insurance) salary"),
    "fraction",
    group=DUES,
    order=700,
)
rule(
    "dues_pension_rate",
    gettext_lazy("Pensioners: share of the pension"),
    "fraction",
    group=DUES,
    order=701,
)
rule(
    "dues_fixed_amounts",
    gettext_lazy("Fixed monthly amounts"),
    "map",
    keys=("student", "area1", "area2", "area3", "area4"),
    key_labels=(
        gettext_lazy("Pupils and students"),
        gettext_lazy("Area 1"),
        gettext_lazy("Area 2"),
        gettext_lazy("Area 3"),
        gettext_lazy("Area 4"),
    ),
    unit="đồng",
    group=DUES,
    order=702,
)
rule(
    "dues_kept_share",
    gettext_lazy("Share each level keeps of the dues it receives"),
    "map",
    keys=("cell", "base", "district", "province"),
    key_labels=(
        gettext_lazy("Cell under a base committee"),
        gettext_lazy("Base organisation"),
        gettext_lazy("District-level committee"),
        gettext_lazy("Province"),
    ),
    unit="%",
    group=DUES,
    order=703,
    provincial=True,
)
rule(
    "removal_unpaid_months",
    gettext_lazy("Removal review: months of dues unpaid in a year without a valid reason"),
    "int",
    unit=gettext_lazy("months"),
    group=DUES,
    order=704,
)
