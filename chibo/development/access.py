"""Who may read and write candidates and official reviews, built on chibo.org.access and,
like it, applied as SQL filters.

Three levels:
- READ: a reading role (office, viewer, secretary) on the cell or above;
- CELL: a writer of the cell (its secretary, or an office above): proposes a candidate, records
  the class, the introducers and the cell's votes, drops a candidate;
- ABOVE: a writer of the unit above the cell (the base committee's office, or higher): records
  the decisions and the admission ceremony. A cell does not admit its own members.

Outside the read scope: 404. Readable at a lower level than asked: 403."""

from enum import Enum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from chibo.members import access as member_access
from chibo.members.models import Member
from chibo.org import access as org_access
from chibo.org.models import Kind, OrgUnit

from .models import Candidate, OfficialReview


class Level(Enum):
    READ = "read"
    CELL = "cell"
    ABOVE = "above"


def _in_scope(user, level: Level, field: str) -> dict:
    """Lookup arguments keeping the rows whose cell `field` is in scope at `level`."""
    if level is Level.READ:
        return {f"{field}__in": org_access.units_for(user).values("pk")}
    writable = org_access.units_for(user, write=True).values("pk")
    if level is Level.CELL:
        return {f"{field}__in": writable}
    return {f"{field}__parent__in": writable}


def candidates_for(user, level: Level = Level.READ) -> QuerySet[Candidate]:
    qs = Candidate.objects.all()
    return qs if user.is_superuser else qs.filter(**_in_scope(user, level, "cell"))


def reviews_for(user, level: Level = Level.READ) -> QuerySet[OfficialReview]:
    """Reviews of the members whose record is held in scope (a member reads their own)."""
    return OfficialReview.objects.filter(member__in=review_members_for(user, level))


def review_members_for(user, level: Level = Level.READ) -> QuerySet[Member]:
    if level is Level.READ:
        return member_access.members_for(user)
    qs = Member.objects.all()
    return qs if user.is_superuser else qs.filter(**_in_scope(user, level, "home_unit"))


def _get(readable: QuerySet, allowed: QuerySet, pk, level: Level):
    try:
        obj = readable.get(pk=pk)
    except (readable.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if level is not Level.READ and not allowed.filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


def get_candidate_for(user, pk, level: Level = Level.READ) -> Candidate:
    readable = candidates_for(user).select_related("cell", "member")
    return _get(readable, candidates_for(user, level), pk, level)


def get_review_for(user, pk, level: Level = Level.READ) -> OfficialReview:
    readable = reviews_for(user).select_related("member", "member__home_unit")
    return _get(readable, reviews_for(user, level), pk, level)


def get_review_member_for(user, pk, level: Level = Level.READ) -> Member:
    readable = review_members_for(user).select_related("home_unit")
    return _get(readable, review_members_for(user, level), pk, level)


def can(user, obj: Candidate | Member, level: Level) -> bool:
    if isinstance(obj, Candidate):
        return candidates_for(user, level).filter(pk=obj.pk).exists()
    return review_members_for(user, level).filter(pk=obj.pk).exists()


def get_cell_for_proposal(user, pk) -> OrgUnit:
    """The cell a new candidate is proposed in: a writable cell (404 outside the scope, 403
    when only readable)."""
    cell = org_access.get_unit_for(user, pk, write=True)
    if not cell.holds_members:
        raise Http404
    return cell


def introducers_for(user, cell: OrgUnit) -> QuerySet[Member]:
    """Members who may be named introducers from the page: readable, with their record in
    the cell's base committee (or in the cell itself when that is a base cell)."""
    around = cell.parent if cell.kind == Kind.CELL and cell.parent else cell
    units = OrgUnit.all_objects.within(around).values("pk")
    return member_access.members_for(user).filter(home_unit__in=units).order_by("search_name", "pk")
