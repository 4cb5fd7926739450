"""The planner's statistics the migrations add on PostgreSQL (members.0016)."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_status_and_end_are_counted_together_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("extended statistics are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxkind, array(SELECT attname FROM pg_attribute"
            " WHERE attrelid = stxrelid AND attnum = ANY(stxkeys) ORDER BY attname)"
            " FROM pg_statistic_ext WHERE stxname = 'statusperiod_status_open'"
            " AND stxrelid = 'members_statusperiod'::regclass"
        )
        (kinds, columns), *more = cursor.fetchall()
    assert not more and list(kinds) == ["m"] and sorted(columns) == ["status", "valid_to"]
