"""A refused form shows its errors where the eye is: the message names the expected format,
the input is marked invalid and linked to its message, and the first invalid field of the
page has the focus (includes/form.html, core/templatetags/form_errors.py). Through a real
form: moving a meeting."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from chibo.meetings import services as s
from chibo.meetings.models import Kind, Meeting


@pytest.fixture
def meeting(world, cast) -> Meeting:
    planned = timezone.make_aware(dt.datetime(2026, 12, 10, 19, 30))
    return s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=planned, place="Nhà văn hóa", actor=None
    )


def inputs(html: str) -> dict[str, str]:
    """The <input> tags of a page by id."""
    return {m[1]: m[0] for m in re.finditer(r'<input[^>]*\bid="([^"]+)"[^>]*>', html)}


def test_a_typed_date_and_time_are_understood(cast, en, meeting):
    data = {"version": meeting.version, "date": "11122026", "time": "19h", "reason": "Trùng lịch"}
    r = en(cast.secretary).post(reverse("meetings:move", args=[meeting.pk]), data)
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.planned_at) == timezone.make_aware(
        dt.datetime(2026, 12, 11, 19, 0)
    )


def test_a_refused_date_says_the_format_and_takes_the_focus(cast, en, meeting):
    data = {"version": meeting.version, "date": "31/02/2026", "time": "25:61", "reason": ""}
    r = en(cast.secretary).post(reverse("meetings:move", args=[meeting.pk]), data)
    assert r.status_code == 422
    html = r.text
    today = timezone.localdate().strftime("%d/%m/%Y")
    tags = inputs(html)
    date, time, reason = tags["move_date"], tags["move_time"], tags["move_reason"]
    # Each invalid input is marked and names its message, which is on the page.
    for tag, name in ((date, "date"), (time, "time"), (reason, "reason")):
        assert 'aria-invalid="true"' in tag and "is-invalid" in tag
        assert f'aria-describedby="move_{name}_error"' in tag
    assert re.search(rf'id="move_date_error"><li>Date as dd/mm/yyyy, e.g. {today}</li>', html)
    assert 'id="move_time_error"><li>Time as hh:mm, e.g. 19:30</li>' in html
    # Only the first invalid field of the page is autofocus; fields without errors are not
    # marked at all.
    assert "autofocus" in date
    assert [t for t in tags.values() if "autofocus" in t] == [date]
    assert 'aria-invalid="true"' not in tags["cancel_reason"]
    # The page loads the script that opens the closed section and scrolls to the field.
    assert "form-errors.js" in html


def test_the_refusal_is_in_vietnamese(cast, client_for, meeting):
    data = {"version": meeting.version, "date": "6/12", "time": "1930", "reason": "x"}
    r = client_for(cast.secretary).post(reverse("meetings:move", args=[meeting.pk]), data)
    assert r.status_code == 422
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert f"Ngày dạng dd/mm/yyyy, ví dụ {today}" in r.text
    assert "Giờ dạng" not in r.text  # 1930 was understood
