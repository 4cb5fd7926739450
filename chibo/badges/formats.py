"""Party age as people read it: "35 năm 2 tháng" (in English, "35 years 2 months")."""

from django.utils.translation import ngettext

from .age import PartyAge


def party_age_text(age: PartyAge | None) -> str:
    """Years and months; days only under a month. Empty when not in the Party."""
    if age is None:
        return ""
    parts = []
    if age.years:
        parts.append(ngettext("%(n)s year", "%(n)s years", age.years) % {"n": age.years})
    if age.months:
        parts.append(ngettext("%(n)s month", "%(n)s months", age.months) % {"n": age.months})
    if not parts:
        return ngettext("%(n)s day", "%(n)s days", age.days) % {"n": age.days}
    return " ".join(parts)
