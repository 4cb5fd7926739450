"""The Party rules member records read (chibo.rules): how long probation runs."""

from django.utils.translation import gettext_lazy

from chibo.rules.catalogue import rule

rule(
    "probation_months",
    gettext_lazy("Probation from the ceremony"),
    "int",
    unit=gettext_lazy("months"),
    group=gettext_lazy("Admission and probation"),
    order=304,
)
