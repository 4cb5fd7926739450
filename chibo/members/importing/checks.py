"""What the members sheet's rows are checked against, one by one (records) or in batches
(bulk)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.sheets import Values, fail

from ..services import PROFILE_FIELDS

# The profile columns an import sets (the record code is the key, not a changeable field).
PROFILE = tuple(f for f in PROFILE_FIELDS if f != "code")


def check_dates(dates: Values) -> None:
    """The checks the services make too, but tied to the right column of the sheet."""
    today = timezone.localdate()
    for key in ("birth_date", "admission_date", "official_date", "placed_since"):
        if dates.get(key) and dates[key] > today:
            fail(_("The date cannot be in the future."), key)
    if dates["admission_date"] < dates["birth_date"]:
        fail(_("The admission date is before the birth date."), "admission_date")
    if dates.get("official_date") and dates["official_date"] < dates["admission_date"]:
        fail(_("Official membership cannot come before admission."), "official_date")
