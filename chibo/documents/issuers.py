"""Who issues a document and under which term: the issuer's names for the header, its symbol,
the place name of the date line, and the committee term a date falls in."""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chibo.org.models import Kind, OrgUnit

from .models import IssuerSettings, Term

# The symbol of the issuing body by its kind (36-HD/VPTW): a cell signs "CB", a base committee
# "ĐU". A unit whose usage differs sets its own in IssuerSettings.
SYMBOLS = {
    Kind.CELL: "CB",
    Kind.BASE_CELL: "CB",
    Kind.PARTY_GROUP: "TĐ",
    Kind.BASE_COMMITTEE: "ĐU",
    Kind.DISTRICT: "HU",
    Kind.PROVINCE: "TU",
}
# The word that names a body of each kind, when its recorded name does not start with one.
PREFIXES = {
    Kind.CELL: "Chi bộ",
    Kind.BASE_CELL: "Chi bộ",
    Kind.PARTY_GROUP: "Tổ đảng",
    Kind.BASE_COMMITTEE: "Đảng bộ",
    Kind.DISTRICT: "Đảng bộ",
    Kind.PROVINCE: "Đảng bộ",
}
PARTY_WORDS = ("chi bộ", "đảng bộ", "đảng ủy", "đảng uỷ", "tổ đảng")
# "Đảng bộ xã An Hòa" -> "An Hòa": the administrative unit named in a party body's name.
LOCALITY = re.compile(r"\b(?:xã|phường|thị trấn|đặc khu|thị xã|huyện|tỉnh|thành phố)\s+(.+)$", re.I)


def _settings(unit: OrgUnit) -> IssuerSettings | None:
    return IssuerSettings.objects.filter(unit=unit).first()


def symbol(unit: OrgUnit) -> str:
    own = _settings(unit)
    if own is not None and own.symbol.strip():
        return own.symbol.strip()
    return SYMBOLS.get(Kind(unit.kind), "CB")


def body_name(unit: OrgUnit) -> str:
    """The unit's name as a party body: 'Chi bộ thôn Đông'."""
    name = unit.name.strip()
    if name.lower().startswith(PARTY_WORDS):
        return name
    return f"{PREFIXES.get(Kind(unit.kind), '')} {name}".strip()


def committee_name(unit: OrgUnit) -> str:
    """The committee that receives a copy: 'Đảng bộ xã An Hòa' -> 'Đảng ủy xã An Hòa'."""
    name = body_name(unit)
    if name.lower().startswith("đảng bộ"):
        return "Đảng ủy" + name[len("đảng bộ") :]
    return name


def place_name(unit: OrgUnit, on: dt.date) -> str:
    """The place name of the date line (địa danh): the commune, ward or province in the name
    of the unit or of its nearest superior that has one."""
    own = _settings(unit)
    if own is not None and own.place.strip():
        return own.place.strip()
    for candidate in reversed(list(unit.ancestors(on, include_self=True))):
        match = LOCALITY.search(candidate.name.strip())
        if match:
            return match.group(1).strip()
    return ""


def superior(unit: OrgUnit, on: dt.date) -> OrgUnit | None:
    """The unit directly above, as the tree stood on `on`."""
    above = list(unit.ancestors(on))
    return above[-1] if above else None


@dataclass(frozen=True)
class Letterhead:
    superior: str  # "ĐẢNG BỘ XÃ AN HÒA" (empty for a unit with nothing above)
    issuer: str  # "CHI BỘ THÔN ĐÔNG"
    symbol: str  # "CB"
    place: str  # "An Hòa"
    recipient: str  # "Đảng ủy xã An Hòa": the superior committee, for "Nơi nhận"


def letterhead(unit: OrgUnit, on: dt.date) -> Letterhead:
    above = superior(unit, on)
    return Letterhead(
        superior=body_name(above).upper() if above else "",
        issuer=body_name(unit).upper(),
        symbol=symbol(unit),
        place=place_name(unit, on),
        recipient=committee_name(above) if above else "",
    )


def term_for(unit: OrgUnit, on: dt.date) -> Term:
    """The term `on` falls in: the unit's own congress dates if it recorded any by then,
    otherwise the national calendar."""
    own = Term.objects.filter(unit=unit, starts_on__lte=on).order_by("-starts_on").first()
    if own is not None:
        return own
    national = (
        Term.objects.filter(unit__isnull=True, starts_on__lte=on).order_by("-starts_on").first()
    )
    if national is None:
        raise ValidationError(
            _("No committee term is recorded for %(date)s.") % {"date": f"{on:%d/%m/%Y}"},
            code="no_term",
        )
    return national
