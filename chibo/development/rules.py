"""The Party rules party development reads (chibo.rules): admission age, introducers, the
ceremony and the official membership review (Điều lệ; Quy định 294-QĐ/TW)."""

from django.utils.translation import gettext_lazy as _l

from chibo.rules.catalogue import rule

ADMISSION = _l("Admission and probation")

rule(
    "admission_min_age",
    _l("Youngest age at admission"),
    "int",
    unit=_l("years"),
    group=ADMISSION,
    order=300,
)
rule(
    "admission_max_age",
    _l("Oldest age at admission without a higher approval"),
    "int",
    unit=_l("years"),
    group=ADMISSION,
    order=301,
)
rule(
    "introducer_min_months",
    _l("An introducer has worked with the candidate at least"),
    "int",
    unit=_l("months"),
    group=ADMISSION,
    order=302,
)
rule(
    "ceremony_working_days",
    _l("Admission ceremony within, after the decision"),
    "int",
    unit=_l("working days"),
    group=ADMISSION,
    order=303,
)
rule(
    "review_working_days",
    _l("The cell considers official membership within, after probation ends"),
    "int",
    unit=_l("working days"),
    group=ADMISSION,
    order=305,
)
