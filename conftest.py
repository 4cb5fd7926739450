"""Test fixtures: a small tree and the fixed cast of personas (STYLE.md, Tests)."""

import datetime as dt
import os
import sys
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db.models import QuerySet
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from chibo.accounts.models import Role
from chibo.members.models import Member
from chibo.org.models import CellType, Kind, OrgUnit
from chibo.testing import factories as f


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


DELETION = os.path.join("django", "db", "models", "deletion.py")


@pytest.fixture(autouse=True)
def _no_silent_update_of_history(monkeypatch):
    """A bulk `update()` writes no history row: on a model that keeps history it may only
    touch the fields its history leaves out (a counter, a lock version). Every test runs
    with this check, so a write that moves rows without a trace fails the suite."""
    original = QuerySet.update

    def update(self, **kwargs):
        if sys._getframe(1).f_code.co_filename.endswith(DELETION):
            # Django's own SET_NULL of a deleted row's references (a demo persona removed).
            return original(self, **kwargs)
        try:
            history = get_history_model_for_model(self.model)
        except NotHistoricalModelError:
            return original(self, **kwargs)
        tracked = {f.name for f in history.tracked_fields} | {
            f.attname for f in history.tracked_fields
        }
        silent = sorted(tracked & set(kwargs))
        if silent:
            raise AssertionError(
                f"{self.model.__name__}.objects...update({', '.join(silent)}) writes no history"
                " row: save each object, or use simple_history's bulk_update_with_history"
            )
        return original(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update)


@dataclass
class World:
    province: OrgUnit
    base: OrgUnit  # base committee (commune)
    cell: OrgUnit
    cell2: OrgUnit  # another cell of the same base committee
    other_base: OrgUnit
    other_cell: OrgUnit
    member: Member  # in cell
    member2: Member  # in cell2
    other_member: Member  # in other_cell


@pytest.fixture
def world(db) -> World:
    province = f.unit(Kind.PROVINCE, name="Đảng bộ tỉnh Thử", code="T01")
    base = f.unit(Kind.BASE_COMMITTEE, province, name="Đảng bộ xã An Hòa", code="X01")
    cell = f.unit(Kind.CELL, base, name="Chi bộ thôn Đông", code="X01-CB01")
    cell2 = f.unit(
        Kind.CELL, base, name="Chi bộ trường Tiểu học", code="X01-CB02", cell_type=CellType.SCHOOL
    )
    other_base = f.unit(Kind.BASE_COMMITTEE, province, name="Đảng bộ phường Bắc", code="X02")
    other_cell = f.unit(
        Kind.CELL, other_base, name="Chi bộ khu phố 1", code="X02-CB01", cell_type=CellType.URBAN
    )
    return World(
        province=province,
        base=base,
        cell=cell,
        cell2=cell2,
        other_base=other_base,
        other_cell=other_cell,
        member=f.member(cell, full_name="Nguyễn Văn Hùng", admitted_on=dt.date(2015, 3, 2)),
        member2=f.member(cell2, full_name="Trần Thị Đào", gender="female"),
        other_member=f.member(other_cell, full_name="Lê Đức Anh"),
    )


@dataclass
class Cast:
    province_officer: object  # office on the province
    base_officer: object  # office on the base committee
    viewer: object  # viewer on the base committee
    secretary: object  # secretary of `cell`, and a member of it
    member: object  # the member of `cell`, member role
    follower: object  # viewer on the base committee: a superior follower reads the cells
    outsider: object  # office on another base committee


@pytest.fixture
def cast(world: World) -> Cast:
    secretary_member = f.member(world.cell, full_name="Phạm Văn Bí Thư")
    return Cast(
        province_officer=f.user(username="province", grants=[(Role.OFFICE, world.province)]),
        base_officer=f.user(username="base", grants=[(Role.OFFICE, world.base)]),
        viewer=f.user(username="viewer", grants=[(Role.VIEWER, world.base)]),
        secretary=f.user(
            username="secretary", member=secretary_member, grants=[(Role.SECRETARY, world.cell)]
        ),
        member=f.user(username="member", member=world.member, grants=[(Role.MEMBER, world.cell)]),
        follower=f.user(username="follower", grants=[(Role.VIEWER, world.base)]),
        outsider=f.user(username="outsider", grants=[(Role.OFFICE, world.other_base)]),
    )


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def en(client_for):
    """en(user) -> a test client logged in as that user, reading the pages in English."""

    def make(user):
        c = client_for(user)
        c.cookies["django_language"] = "en"
        return c

    return make
