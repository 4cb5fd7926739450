"""Admissions come first: a readmission or an official recognition needs an admission on or
before it, also when an admission is moved (party age counts from the admission, and the
badge lists cut their candidates on the first admission's day)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from chibo.members import services
from chibo.members.models import EventKind, MemberEvent
from chibo.testing import factories as f

D = dt.date


def test_a_readmission_before_the_admission_is_refused(world):
    m = f.member(world.cell, admitted_on=D(2000, 1, 1), official_on=None)
    before = list(MemberEvent.objects.filter(member=m).values_list("kind", "date"))
    with translation.override("en"), pytest.raises(ValidationError, match="on or before"):
        services.event_create(actor=None, member=m, kind=EventKind.READMITTED, date=D(1990, 1, 1))
    assert list(MemberEvent.objects.filter(member=m).values_list("kind", "date")) == before
    services.event_create(actor=None, member=m, kind=EventKind.REMOVED, date=D(2001, 1, 1))
    services.event_create(actor=None, member=m, kind=EventKind.READMITTED, date=D(2003, 1, 1))


def test_an_admission_moved_past_the_official_recognition_is_refused(world):
    m = f.member(world.cell, admitted_on=D(1990, 1, 1), official_on=D(1991, 1, 1))
    admitted = MemberEvent.objects.get(member=m, kind=EventKind.ADMITTED)
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="official recognition of 01/01/1991 needs"),
    ):
        services.event_update(actor=None, event=admitted, date=D(1999, 1, 1))
    admitted.refresh_from_db()
    assert admitted.date == D(1990, 1, 1)
    m.refresh_from_db()
    assert m.admitted_on == D(1990, 1, 1)
    # Earlier, or up to the recognition's day, is fine.
    services.event_update(actor=None, event=admitted, date=D(1991, 1, 1))
    admitted.refresh_from_db()
    assert admitted.date == D(1991, 1, 1)
