"""Cell meetings (sinh hoạt chi bộ): the schedule, the meeting, its frozen roster, votes and
amendments made after the minutes were adopted."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.core.models import ActiveManager, ActiveQuerySet, SoftDeletable
from chibo.core.versions import Versioned
from chibo.members.models import Member
from chibo.org.models import OrgUnit


class Schedule(Versioned):
    """A cell's usual meeting day (lịch sinh hoạt), from which meetings are planned."""

    cell = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="meeting_schedule")
    day = models.PositiveSmallIntegerField(_("day of the month"))  # 1-28: every month has it
    time = models.TimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)

    history = HistoricalRecords(excluded_fields=["version"])

    def __str__(self) -> str:
        return f"{self.cell}: {self.day} {self.time:%H:%M}"


class Kind(models.TextChoices):
    REGULAR = "regular", _("Regular monthly meeting")
    THEMATIC = "thematic", _("Thematic meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
    COMMITTEE = "committee", _("Cell committee pre-meeting")


class State(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held (minutes in draft)")
    ADOPTED = "adopted", _("Minutes adopted")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingQuerySet(ActiveQuerySet):
    pass


MeetingManager = ActiveManager.from_queryset(MeetingQuerySet)


class Meeting(SoftDeletable):
    """One meeting of a cell (or of its committee, preparing a meeting)."""

    cell = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.REGULAR)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    # A thematic meeting held together with the monthly one must last longer (42-HD/BTCTW).
    combined = models.BooleanField(_("held together with the monthly meeting"), default=False)
    prepares = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pre_meetings",
        verbose_name=_("prepares the meeting"),
    )
    planned_at = models.DateTimeField(_("planned for"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNED
    )
    note = models.CharField(_("reason for the change"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    checkin_code = models.CharField(max_length=6, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Chosen at the opening of the meeting (12-HD: "appoint a minute-taker"); they sign the
    # minutes. Members of the cell on the meeting day.
    chair = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chaired by"),
    )
    minute_taker = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("minute-taker"),
    )
    # Optimistic locking: every change names the version it was made from (services.py).
    version = models.PositiveIntegerField(default=1)
    # services.turnout of the roster, kept here by the roster and attendance services so that
    # reports read it instead of counting roster rows. Derived: left out of the history.
    present_count = models.PositiveIntegerField(default=0)
    expected_count = models.PositiveIntegerField(default=0)

    objects = MeetingManager()
    all_objects = MeetingQuerySet.as_manager()
    # The lock version is a counter, not a fact about the meeting: claiming a meeting bumps it
    # in one compare-and-set update (services.meetings.claim), without a history row.
    history = HistoricalRecords(
        excluded_fields=["checkin_code", "present_count", "expected_count", "version"]
    )

    class Meta:
        ordering = ["planned_at", "pk"]
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["cell", "planned_at"]),
            # The meeting's time as reports read it (held: started_at, else planned_at): the
            # compliance report reads a period's meetings of many cells through it.
            models.Index(
                models.F("cell"),
                Coalesce("started_at", "planned_at"),
                name="meeting_cell_at_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:%d/%m/%Y}"

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.started_at or self.planned_at).date()

    @property
    def locked(self) -> bool:
        return self.state == State.ADOPTED

    @property
    def duration_minutes(self) -> int | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds() // 60)


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Absent, excused")
    UNEXCUSED = "unexcused", _("Absent, no valid reason")


class Attendance(models.Model):
    """A member on the meeting's roster, frozen from the placements of the meeting day."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="roster")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances")
    # As things stood on the meeting day:
    official = models.BooleanField()  # official (True) or probationary member
    exempt = models.BooleanField(default=False)  # exempt from activities (miễn sinh hoạt)
    away = models.BooleanField(default=False)  # on temporary transfer to another cell
    hosted = models.BooleanField(default=False)  # temporarily placed here from another cell
    presence = models.CharField(_("presence"), max_length=10, choices=Presence.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    late = models.BooleanField(_("arrived late"), default=False)
    left_early = models.BooleanField(_("left early"), default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    # Nothing reads the roster's history by meeting or member: no index for every mark to
    # write (about 80 million rows a year nationally; docs/growth.md).
    history = HistoricalRecords(no_db_index=["meeting", "member"])

    class Meta:
        ordering = ["member__search_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]
        # The removal review reads only the unexcused absences (chibo.meetings.queries); the
        # reports ask of a meeting whether anybody not away was absent without reason
        # (chibo.meetings.reporting).
        indexes = [
            # Member first, and with every column the review reads, so that a base
            # committee's review probes its own members' rows without visiting the table
            # instead of reading every unexcused absence of every year (docs/growth.md).
            models.Index(
                fields=["member", "meeting", "away", "exempt", "id"],
                condition=models.Q(presence="unexcused"),
                name="attendance_unexcused_m_idx",
            ),
            models.Index(
                fields=["meeting"],
                condition=models.Q(presence="unexcused", away=False),
                name="attendance_unexcused_mtg_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.meeting}"

    @property
    def present(self) -> bool:
        return self.presence == Presence.PRESENT


class Guest(models.Model):
    """Someone attending who is not on the roster: the superior follower, invited guests."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=200)
    follower = models.BooleanField(_("assigned superior follower"), default=False)
    # The assignment of the follower who attended (follower is then True): who may confirm.
    follow = models.ForeignKey(
        "follow.FollowAssignment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guest_visits",
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name


class VoteKind(models.TextChoices):
    ORDINARY = "ordinary", _("Resolution or conclusion")
    ADMISSION = "admission", _("Admission of a new member")
    RECOGNITION = "recognition", _("Recognition as official member")


class VoteMethod(models.TextChoices):
    HANDS = "hands", _("Show of hands")
    NAMED = "named", _("By name")


class Vote(models.Model):
    """A vote at a meeting, with the count of those who could vote frozen when recorded."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    subject = models.CharField(_("subject"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=VoteKind.choices)
    method = models.CharField(_("method"), max_length=6, choices=VoteMethod.choices)
    votes_for = models.PositiveIntegerField(_("for"))
    votes_against = models.PositiveIntegerField(_("against"))
    abstained = models.PositiveIntegerField(_("abstained"))
    # The vote on the meeting's own resolution: the resolution is issued only if it passed.
    on_resolution = models.BooleanField(_("vote on the meeting's resolution"), default=False)
    counted = models.PositiveIntegerField(_("official members counted for the vote"))
    passed = models.BooleanField(_("passed"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return self.subject


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Ballot(models.Model):
    """One member's vote in a vote by name. Kept even when it does not count (probationary)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    counted = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="ballot_once")]


class Amendment(models.Model):
    """A correction to adopted minutes: the original stays, beside who changed what and why."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="amendments")
    field = models.CharField(max_length=40)
    before = models.TextField()
    after = models.TextField()
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


# The record of a meeting (biên bản): speeches, dues, tasks and their review, proposals ------


class Speech(models.Model):
    """A contribution to the discussion (ý kiến phát biểu), by a member or a named guest."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speeches")
    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    speaker = models.CharField(_("speaker (not a member)"), max_length=120, blank=True)
    summary = models.TextField(_("summary"))
    order = models.PositiveSmallIntegerField(_("order"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(member__isnull=False, speaker="")
                    | models.Q(member__isnull=True) & ~models.Q(speaker="")
                ),
                name="speech_one_speaker",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.member or self.speaker}"


class DuesCollection(models.Model):
    """Party dues (đảng phí) collected from a member at a meeting, for one month. Shaped for the
    dues ledger to come: one row per member and month paid for, the amount in đồng."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="dues")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="dues", verbose_name=_("member")
    )
    month = models.DateField(_("month paid for"))  # always the first day of that month
    amount = models.PositiveIntegerField(_("amount (đồng)"))
    collected = models.BooleanField(_("collected"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dues collection")
        verbose_name_plural = _("dues collections")
        ordering = ["month", "member__search_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member", "month"], name="dues_once_per_meeting"
            ),
            # A month is paid once, whichever meeting collected it.
            models.UniqueConstraint(
                fields=["member", "month"],
                condition=models.Q(collected=True),
                name="dues_month_paid_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%m/%Y}: {self.amount}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    LATE = "late", _("Done late")
    DROPPED = "dropped", _("Dropped")


class TaskQuerySet(models.QuerySet):
    def open(self) -> "TaskQuerySet":
        return self.filter(status=TaskStatus.OPEN)


class Task(models.Model):
    """A task (nhiệm vụ) the cell gives at a meeting to one named member or one party group
    (tổ đảng) of the cell, reviewed at the following meetings until it is closed."""

    cell = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="meeting_tasks")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("given at")
    )
    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_tasks",
        verbose_name=_("member"),
    )
    group = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_tasks",
        verbose_name=_("party group"),
    )
    text = models.TextField(_("task"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["cell", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(member__isnull=False, group__isnull=True)
                    | models.Q(member__isnull=True, group__isnull=False)
                ),
                name="task_one_assignee",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def assignee(self) -> "Member | OrgUnit | None":
        return self.member or self.group


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    LATE = "late", _("Done late")
    DROPPED = "dropped", _("Dropped")
    CARRIED = "carried", _("Carried over")


class TaskReview(models.Model):
    """One meeting's review of a task (kiểm điểm việc thực hiện nhiệm vụ): a task carried over
    twice has two reviews."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reviews")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="task_reviews")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task review")
        verbose_name_plural = _("task reviews")
        ordering = ["meeting__planned_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "meeting"], name="task_review_once")]

    def __str__(self) -> str:
        return f"{self.task}: {self.get_outcome_display()}"


class ProposalQuerySet(models.QuerySet):
    def unanswered(self) -> "ProposalQuerySet":
        return self.filter(answered=False)


class Proposal(models.Model):
    """A proposal (kiến nghị) raised at a meeting, by a member or from the public, addressed
    to a body and followed until it is answered."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="proposals")
    text = models.TextField(_("proposal"))
    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from the member"),
    )
    source = models.CharField(_("from the public"), max_length=200, blank=True)
    addressed_to = models.CharField(_("addressed to"), max_length=200)
    answered = models.BooleanField(_("answered"), default=False)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(member__isnull=False, source="")
                    | models.Q(member__isnull=True) & ~models.Q(source="")
                ),
                name="proposal_one_source",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


# Quality of the meeting (chấm điểm chất lượng sinh hoạt) -------------------------------------


class Rating(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


class QualityScore(models.Model):
    """The meeting's quality score: points per part of the checklist in force on the meeting
    day (parts and maxima are rule data, so a province may score differently), confirmed by
    the superior follower who attended."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="quality")
    points = models.JSONField(_("points per part"), default=dict)
    total = models.PositiveSmallIntegerField(_("total"))  # sum of `points`, kept for reports
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filled_at = models.DateTimeField(auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting quality score")
        verbose_name_plural = _("meeting quality scores")

    def __str__(self) -> str:
        return f"{self.meeting}: {self.total}"


# Preparation: the agenda and the documents ---------------------------------------------------


class Section(models.TextChoices):
    OPENING = "opening", _("Opening")
    CONTENT = "content", _("Content")
    CLOSING = "closing", _("Closing")


class AgendaTemplate(models.Model):
    """The agenda a meeting starts from (12-HD/BTCTW): national (no province) or a province's
    own, in force from a date. Items are Vietnamese text written by the office, kept as data:
    [{"section": "opening", "title": "..."}, ...] in order."""

    province = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_templates",
        verbose_name=_("province"),
    )
    effective_from = models.DateField(_("in force from"))
    source = models.CharField(_("source"), max_length=200)
    items = models.JSONField(_("items"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["province_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "effective_from"], name="agenda_template_once_a_day"
            ),
            models.UniqueConstraint(
                fields=["effective_from"],
                condition=models.Q(province__isnull=True),
                name="national_agenda_template_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province or '-'} {self.effective_from:%d/%m/%Y}: {self.source}"


class AgendaItem(models.Model):
    """An item of one meeting's agenda, copied from the template when the secretary first
    changes the agenda or attaches a document to an item; notes say what it covered."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    section = models.CharField(_("part"), max_length=10, choices=Section.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("item"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_id", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class MeetingDocument(models.Model):
    """A document posted to the cell's members for a meeting (or one of its agenda items).
    The file is kept in the database with its row: posting is one atomic write, backups hold
    everything, and nothing is served without the access check of the download view."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    # An item is removed from the agenda after its documents are unlinked one by one, each
    # save in their history (services.prepare); SET_NULL would unlink them in one silent
    # update. RESTRICT still lets a meeting go with its items and documents together.
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="documents",
        verbose_name=_("agenda item"),
    )
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        ordering = ["posted_at", "pk"]

    def __str__(self) -> str:
        return self.title
