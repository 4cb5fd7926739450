"""The Party rules member records read (chibo.rules): how long probation runs."""

from django.utils.translation import gettext_lazy as _l

from chibo.rules.catalogue import rule

rule(
    "probation_months",
    _l("Probation from the ceremony"),
    "int",
    unit=_l("months"),
    group=_l("Admission and probation"),
    order=304,
)
