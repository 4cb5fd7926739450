"""The demo's bulk writes bypass the services that keep the member counts: the generator
rebuilds them, province by province, so they agree with a recount from the raw rows."""

import datetime as dt

from chibo.demo.generate import demo_generate
from chibo.members.queries import unit_counts
from chibo.members.tests.test_kept_counts import recount
from chibo.org.models import OrgUnit
from chibo.testing.demo import AS_OF, run_demo

DAYS = [AS_OF, AS_OF - dt.timedelta(days=400), dt.date(2015, 6, 30), dt.date(2001, 1, 1)]


def check() -> None:
    units = list(OrgUnit.all_objects.all())
    for on in DAYS:
        assert unit_counts(units, on) == recount(units, on), on
    assert unit_counts(units, AS_OF)[units[0].pk]["in_party"] > 0


def test_the_demo_keeps_the_member_counts(db):
    run_demo()
    check()


def test_a_country_keeps_the_member_counts_of_each_province(db):
    demo_generate(members=120, seed=3, as_of=AS_OF, provinces=2)
    check()
