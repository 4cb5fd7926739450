"""factory_boy factories and builders shared by every app's tests."""

import datetime as dt
import itertools
from collections.abc import Sequence

import factory

from chibo.accounts.models import RoleGrant, User
from chibo.core import audit
from chibo.members import services as member_services
from chibo.members.models import Gender, Member
from chibo.org import services as org_services
from chibo.org.models import CellType, Kind, OrgUnit

_codes = itertools.count(1)


def unit(
    kind: str = Kind.CELL,
    parent: OrgUnit | None = None,
    *,
    name: str | None = None,
    code: str | None = None,
    cell_type: str = "",
    founded_on: dt.date | None = None,
) -> OrgUnit:
    n = next(_codes)
    if kind in (Kind.CELL, Kind.BASE_CELL) and not cell_type:
        cell_type = CellType.RURAL
    # A test's setting, not a person's write: no audit event (a test counts its own).
    with audit.silenced():
        return org_services.orgunit_create(
            actor=None,
            code=code or f"U{n:05d}",
            name=name or f"{Kind(kind).label} {n}",
            kind=kind,
            parent=parent,
            cell_type=cell_type,
            founded_on=founded_on,
        )


def member(
    cell: OrgUnit,
    *,
    full_name: str | None = None,
    admitted_on=dt.date(2010, 5, 19),
    official_on=...,
    placed_since=None,
    birth_date=dt.date(1980, 1, 1),
    gender: str = Gender.MALE,
    **profile,
) -> Member:
    n = next(_codes)
    if official_on is ...:
        official_on = admitted_on.replace(year=admitted_on.year + 1)
    data = {
        "code": profile.pop("code", f"DV{n:06d}"),
        "full_name": full_name or f"Nguyễn Văn Thử {n}",
        "gender": gender,
        "birth_date": birth_date,
        **profile,
    }
    with audit.silenced():  # the test's setting, as for `unit`
        return member_services.member_create(
            actor=None,
            profile=data,
            unit=cell,
            placed_since=placed_since or admitted_on,
            admitted_on=admitted_on,
            official_on=official_on,
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "Chibo-test-2026!")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user(*, grants: Sequence[tuple[str, OrgUnit]] = (), member: Member | None = None, **kw) -> User:
    u: User = UserFactory(member=member, **kw)  # type: ignore[assignment]
    for role, on in grants:
        RoleGrant.objects.create(user=u, unit=on, role=role)
    return u


PASSWORD = "Chibo-test-2026!"


def follow(cell: OrgUnit, follower: User, start: dt.date = dt.date(2020, 1, 1), **kw):
    """`follower` assigned to follow `cell` from `start` (by follower themself, for tests)."""
    from chibo.follow.models import FollowAssignment

    return FollowAssignment.objects.create(
        cell=cell, follower=follower, start=start, assigned_by=kw.pop("by", follower), **kw
    )
