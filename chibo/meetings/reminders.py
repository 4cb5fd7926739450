"""What meetings tell people (chibo.notices): documents posted for a meeting, a meeting
moved or cancelled, the reminder the day before; declared here with the texts they say."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from chibo.accounts.models import Role, User
from chibo.core.formats import date as vn_date
from chibo.members.models import IN_PARTY, Member, Placement, PlacementKind
from chibo.notices.kinds import notice_kind
from chibo.notices.models import Notice
from chibo.notices.services import notify
from chibo.org.scope import HERE, holder_ids

from .models import Meeting, MeetingDocument, State

DOCUMENTS_POSTED = notice_kind(
    "documents_posted",
    gettext_lazy("Documents posted for a meeting"),
    gettext_lazy("New document for the meeting of %(cell)s on %(day)s: %(title)s"),
)
MEETING_TOMORROW = notice_kind(
    "meeting_tomorrow",
    gettext_lazy("Meeting tomorrow"),
    gettext_lazy("Reminder: %(meeting)s of %(cell)s tomorrow, %(day)s at %(time)s, %(place)s"),
)
MEETING_MOVED = notice_kind(
    "meeting_moved",
    gettext_lazy("Meeting moved"),
    gettext_lazy(
        "The meeting of %(cell)s planned for %(old_day)s is moved to %(day)s at %(time)s: "
        "%(reason)s"
    ),
)
MEETING_CANCELLED = notice_kind(
    "meeting_cancelled",
    gettext_lazy("Meeting cancelled"),
    gettext_lazy("The meeting of %(cell)s on %(day)s is cancelled: %(reason)s"),
)


def meeting_audience(meeting: Meeting) -> list[int]:
    """Accounts of the members who attend this meeting: placed in the cell on its day (not
    away on temporary transfer elsewhere, still in the Party), and accounts holding the member
    role on the cell."""
    day = meeting.day
    placed = Placement.objects.active_on(day)
    here = set(placed.filter(unit_id=meeting.cell_id).values_list("member_id", flat=True))
    away = set(
        placed.filter(kind=PlacementKind.TEMPORARY, member_id__in=here)
        .exclude(unit_id=meeting.cell_id)
        .values_list("member_id", flat=True)
    )
    hosted = set(
        placed.filter(unit_id=meeting.cell_id, kind=PlacementKind.TEMPORARY).values_list(
            "member_id", flat=True
        )
    )
    attending = (here - away) | hosted
    in_party = Member.objects.filter(pk__in=attending).with_status(day)
    members = in_party.filter(status__in=[s.value for s in IN_PARTY]).values("pk")
    role_holders = holder_ids([meeting.cell_id], {Role.MEMBER}, on=day, nearest=HERE)
    users = User.objects.filter(is_active=True).filter(
        Q(member_id__in=members) | Q(pk__in=role_holders[meeting.cell_id])
    )
    return list(users.values_list("pk", flat=True))


def _meeting_params(meeting: Meeting) -> dict:
    at = timezone.localtime(meeting.planned_at)
    return {
        "cell": meeting.cell.name,
        "meeting": str(meeting.get_kind_display()),
        "day": vn_date(at.date()),
        "time": f"{at:%H:%M}",
        "place": meeting.place,
    }


def _meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


def documents_posted(document_id: int) -> list[Notice]:
    doc = (
        MeetingDocument.objects.defer("content")
        .select_related("meeting", "meeting__cell")
        .filter(pk=document_id)
        .first()
    )
    if doc is None:  # removed again before the commit hook ran
        return []
    meeting = doc.meeting
    return notify(
        [u for u in meeting_audience(meeting) if u != doc.posted_by_id],
        kind=DOCUMENTS_POSTED,
        key=f"doc:{doc.pk}",
        params={**_meeting_params(meeting), "title": doc.title},
        url=_meeting_url(meeting),
    )


def meeting_changed(meeting: Meeting, *, old_planned_at: dt.datetime | None = None) -> list[Notice]:
    """A planned meeting moved (old_planned_at given) or cancelled: tell who would attend."""
    params = {**_meeting_params(meeting), "reason": meeting.note}
    if old_planned_at is not None:
        params["old_day"] = vn_date(timezone.localtime(old_planned_at).date())
        kind, key = MEETING_MOVED, f"moved:{meeting.pk}:{meeting.planned_at:%Y%m%d%H%M}"
    else:
        kind, key = MEETING_CANCELLED, f"cancelled:{meeting.pk}"
    return notify(
        meeting_audience(meeting), kind=kind, key=key, params=params, url=_meeting_url(meeting)
    )


def meeting_reminders(today: dt.date) -> int:
    """Remind who attends each meeting planned for tomorrow; once per meeting and day (a
    meeting moved to another day is reminded again before that day)."""
    tomorrow = today + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    meetings = Meeting.objects.filter(
        state=State.PLANNED, planned_at__gte=start, planned_at__lt=start + dt.timedelta(days=1)
    ).select_related("cell")
    count = 0
    for meeting in meetings:
        count += len(
            notify(
                meeting_audience(meeting),
                kind=MEETING_TOMORROW,
                key=f"eve:{meeting.pk}:{tomorrow:%Y%m%d}",
                params=_meeting_params(meeting),
                url=_meeting_url(meeting),
            )
        )
    return count


TASK_OVERDUE = notice_kind(
    "task_overdue",
    gettext_lazy("Meeting task overdue"),
    gettext_lazy(
        "Overdue task from the meeting of %(cell)s on %(day)s, due %(deadline)s: %(task)s"
    ),
)
