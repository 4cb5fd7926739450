"""Who is told what: notices are stored at once (one insert, idempotent by key) and e-mailed
by the background worker (`chibo worker`), so a page never waits for a mail server."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.models import Role, RoleGrant, User
from chibo.core.formats import date as vn_date
from chibo.members.models import IN_PARTY, Member, Placement, PlacementKind

from .models import EmailState, Kind, Notice

log = logging.getLogger(__name__)

# What each kind says, from its params; rendered in the reader's language.
TEXTS = {
    Kind.DOCUMENTS_POSTED: gettext_lazy(
        "New document for the meeting of %(cell)s on %(day)s: %(title)s"
    ),
    Kind.MEETING_TOMORROW: gettext_lazy(
        "Reminder: %(meeting)s of %(cell)s tomorrow, %(day)s at %(time)s, %(place)s"
    ),
    Kind.MEETING_MOVED: gettext_lazy(
        "The meeting of %(cell)s planned for %(old_day)s is moved to %(day)s at %(time)s: "
        "%(reason)s"
    ),
    Kind.MEETING_CANCELLED: gettext_lazy(
        "The meeting of %(cell)s on %(day)s is cancelled: %(reason)s"
    ),
    Kind.CEREMONY_SOON: gettext_lazy(
        "The admission ceremony of %(member)s (%(cell)s) must be held by %(deadline)s."
    ),
    Kind.CEREMONY_OVERDUE: gettext_lazy(
        "Overdue: the admission ceremony of %(member)s (%(cell)s) was due by %(deadline)s."
    ),
    Kind.PROBATION_ENDING: gettext_lazy(
        "The probation of %(member)s (%(cell)s) ends on %(day)s: prepare the cell's review "
        "for official membership."
    ),
    Kind.REVIEW_OVERDUE: gettext_lazy(
        "Overdue: the cell's review of %(member)s (%(cell)s) for official membership was due "
        "by %(deadline)s."
    ),
    Kind.TASK_OVERDUE: gettext_lazy(
        "Overdue task from the meeting of %(cell)s on %(day)s, due %(deadline)s: %(task)s"
    ),
    Kind.TRANSFER_SENT: gettext_lazy(
        "%(member)s is transferred from %(from)s to %(to)s (letter %(letter)s of %(day)s): "
        "record the day the member is received."
    ),
    Kind.BADGES_DUE: gettext_lazy(
        "Party badges, %(occasion)s (%(day)s): members of %(unit)s due: %(count)s. Check the "
        "list and propose the decision."
    ),
}


def text_of(notice: Notice) -> str:
    template = TEXTS.get(Kind(notice.kind))
    try:
        return str(template) % notice.params if template else notice.key
    except (KeyError, TypeError, ValueError):
        return notice.key


def notify(
    users: Iterable[int], *, kind: str, key: str, params: dict, url: str = ""
) -> list[Notice]:
    """Store a notice for each user not yet told under `key`; e-mail them in the background.
    Returns the notices created by this call."""
    ids = sorted(set(users))
    if not ids:
        return []
    told = set(Notice.objects.filter(key=key, user_id__in=ids).values_list("user_id", flat=True))
    with_email = set(User.objects.filter(pk__in=ids).exclude(email="").values_list("pk", flat=True))
    rows = [
        Notice(
            user_id=uid,
            kind=kind,
            key=key,
            params=params,
            url=url,
            email=EmailState.PENDING if uid in with_email else EmailState.NONE,
        )
        for uid in ids
        if uid not in told
    ]
    # Two jobs racing: the unique (user, key) constraint keeps one notice; the loser skips.
    Notice.objects.bulk_create(rows, ignore_conflicts=True)
    if any(r.email == EmailState.PENDING for r in rows):
        from .tasks import send_emails

        transaction.on_commit(lambda: send_emails.enqueue())
    return rows


def mail_pending(limit: int = 500) -> int:
    """Send the notices waiting for an e-mail; each is claimed before sending, so two workers
    never send the same one. Returns how many were sent."""
    sent = 0
    pending = Notice.objects.filter(email=EmailState.PENDING).select_related("user")
    for notice in pending.order_by("pk")[:limit]:
        claimed = Notice.objects.filter(pk=notice.pk, email=EmailState.PENDING).update(
            email=EmailState.SENT, emailed_at=timezone.now()
        )
        if not claimed:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = text_of(notice)
            body = "\n\n".join(
                [
                    subject,
                    _("Open it in Chibo: %(url)s") % {"url": absolute(notice.url)},
                    _(
                        "You receive this because of your role in Chibo; the Notifications "
                        "page lists everything sent to you."
                    ),
                ]
            )
        try:
            send_mail(subject[:200], body, None, [notice.user.email])
        except OSError as e:  # the mail server refused or is down: keep it visible
            log.warning("Notice %s not mailed: %s", notice.pk, e)
            Notice.objects.filter(pk=notice.pk).update(email=EmailState.FAILED)
            continue
        sent += 1
    return sent


def absolute(url: str) -> str:
    return f"{settings.CHIBO_BASE_URL.rstrip('/')}{url}" if url.startswith("/") else url


# Who hears about a meeting ---------------------------------------------------------------------


def meeting_audience(meeting) -> list[int]:
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
    grants = RoleGrant.objects.filter(unit_id=meeting.cell_id, role=Role.MEMBER).values("user_id")
    users = User.objects.filter(is_active=True).filter(Q(member_id__in=members) | Q(pk__in=grants))
    return list(users.values_list("pk", flat=True))


def _meeting_params(meeting) -> dict:
    at = timezone.localtime(meeting.planned_at)
    return {
        "cell": meeting.cell.name,
        "meeting": str(meeting.get_kind_display()),
        "day": vn_date(at.date()),
        "time": f"{at:%H:%M}",
        "place": meeting.place,
    }


def _meeting_url(meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


def documents_posted(document_id: int) -> list[Notice]:
    from chibo.meetings.models import MeetingDocument

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
        kind=Kind.DOCUMENTS_POSTED,
        key=f"doc:{doc.pk}",
        params={**_meeting_params(meeting), "title": doc.title},
        url=_meeting_url(meeting),
    )


def meeting_changed(meeting, *, old_planned_at: dt.datetime | None = None) -> list[Notice]:
    """A planned meeting moved (old_planned_at given) or cancelled: tell who would attend."""
    params = {**_meeting_params(meeting), "reason": meeting.note}
    if old_planned_at is not None:
        params["old_day"] = vn_date(timezone.localtime(old_planned_at).date())
        kind, key = Kind.MEETING_MOVED, f"moved:{meeting.pk}:{meeting.planned_at:%Y%m%d%H%M}"
    else:
        kind, key = Kind.MEETING_CANCELLED, f"cancelled:{meeting.pk}"
    return notify(
        meeting_audience(meeting), kind=kind, key=key, params=params, url=_meeting_url(meeting)
    )


def meeting_reminders(today: dt.date) -> int:
    """Remind who attends each meeting planned for tomorrow; once per meeting and day (a
    meeting moved to another day is reminded again before that day)."""
    from chibo.meetings.models import Meeting, State

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
                kind=Kind.MEETING_TOMORROW,
                key=f"eve:{meeting.pk}:{tomorrow:%Y%m%d}",
                params=_meeting_params(meeting),
                url=_meeting_url(meeting),
            )
        )
    return count


def unread_count(user) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()
