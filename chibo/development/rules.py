"""The Party rules party development reads (chibo.rules): admission age, introducers, the
ceremony and the official membership review (Điều lệ; Quy định 294-QĐ/TW)."""

from django.utils.translation import gettext_lazy

from chibo.rules.catalogue import rule

ADMISSION = gettext_lazy("Admission and probation")

rule(
    "admission_min_age",
    gettext_lazy("Youngest age at admission"),
    "int",
    unit=gettext_lazy("years"),
    group=ADMISSION,
    order=300,
)
rule(
    "admission_max_age",
    gettext_lazy("Oldest age at admission without a higher approval"),
    "int",
    unit=gettext_lazy("years"),
    group=ADMISSION,
    order=301,
)
rule(
    "introducer_min_months",
    gettext_lazy("An introducer has worked with the candidate at least"),
    "int",
    unit=gettext_lazy("months"),
    group=ADMISSION,
    order=302,
)
rule(
    "ceremony_working_days",
    gettext_lazy("Admission ceremony within, after the decision"),
    "int",
    unit=gettext_lazy("working days"),
    group=ADMISSION,
    order=303,
)
rule(
    "review_working_days",
    gettext_lazy("The cell considers official membership within, after probation ends"),
    "int",
    unit=gettext_lazy("working days"),
    group=ADMISSION,
    order=305,
)
