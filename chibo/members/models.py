"""Party members (đảng viên): a minimal profile, dated placements, positions and events.

A member's status on any date is derived from the dated events, never stored as a flag.
`home_unit`, `admitted_on` and `official_on` are copies kept by the services in
`members.services` (see `member_refresh`) so that scoping and lists stay single joins.
"""

import datetime as dt

from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models import Case, Exists, F, FilteredRelation, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Collate
from django.db.models.lookups import Contains
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.core.models import ActiveManager, ActiveQuerySet, SoftDeletable
from chibo.core.search import terms
from chibo.core.sql import RowExists
from chibo.core.versions import Versioned
from chibo.org.models import OrgUnit, Village


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class EventKind(models.TextChoices):
    ADMITTED = "admitted", _("Admitted (probationary)")
    CEREMONY = "ceremony", _("Admission ceremony held")
    OFFICIAL = "official", _("Recognised as official member")
    READMITTED = "readmitted", _("Readmitted")
    TRANSFERRED = "transferred", _("Transferred")
    EXEMPTED = "exempted", _("Exempted from activities")
    SUSPENDED = "suspended", _("Suspended from activities")
    REPRIMAND = "reprimand", _("Disciplined: reprimand")
    WARNING = "warning", _("Disciplined: warning")
    DISMISSAL = "dismissal", _("Disciplined: dismissal from post")
    REMOVED = "removed", _("Removed from the Party rolls")
    EXPELLED = "expelled", _("Expelled")
    WITHDREW = "withdrew", _("Withdrew from the Party")
    DECEASED = "deceased", _("Deceased")


class Status(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary")
    OFFICIAL = "official", _("Official")
    REMOVED = "removed", _("Removed")
    EXPELLED = "expelled", _("Expelled")
    WITHDREW = "withdrew", _("Withdrew")
    DECEASED = "deceased", _("Deceased")


# Events that set the status from their date on, and the status each sets.
STATUS_OF_EVENT = {
    EventKind.ADMITTED: Status.PROBATIONARY,
    EventKind.READMITTED: Status.PROBATIONARY,
    EventKind.OFFICIAL: Status.OFFICIAL,
    EventKind.REMOVED: Status.REMOVED,
    EventKind.EXPELLED: Status.EXPELLED,
    EventKind.WITHDREW: Status.WITHDREW,
    EventKind.DECEASED: Status.DECEASED,
}
# On the same day, which status event comes last (admitted and recognised the same day: official).
EVENT_PRECEDENCE = {
    EventKind.ADMITTED: 1,
    EventKind.READMITTED: 1,
    EventKind.OFFICIAL: 2,
    EventKind.REMOVED: 3,
    EventKind.EXPELLED: 3,
    EventKind.WITHDREW: 3,
    EventKind.DECEASED: 4,
}
IN_PARTY = {Status.PROBATIONARY, Status.OFFICIAL}
# Events that are periods (they have an end date).
PERIOD_EVENTS = {EventKind.EXEMPTED, EventKind.SUSPENDED}
ADMISSIONS = {EventKind.ADMITTED, EventKind.READMITTED}
DISCIPLINES = {EventKind.REPRIMAND, EventKind.WARNING, EventKind.DISMISSAL}


class ExemptionReason(models.TextChoices):
    """Why a member is exempt from activities (miễn sinh hoạt)."""

    OLD_AGE = "old_age", _("Old age")
    ILLNESS = "illness", _("Illness")
    ABROAD = "abroad", _("Abroad")
    MATERNITY = "maternity", _("Maternity")
    MOBILE_WORK = "mobile_work", _("Mobile work")
    OTHER = "other", _("Other")


def exempt_on(on: dt.date, member_ref: str = "pk") -> Exists:
    """Whether the member had an exemption covering `on`; looked up row by row (RowExists):
    a page of members must not read every exemption of the database."""
    return RowExists(
        MemberEvent.objects.filter(
            member=OuterRef(member_ref), kind=EventKind.EXEMPTED, date__lte=on
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    )


def period_valid_on(on: dt.date, prefix: str = "") -> Q:
    """Condition for a StatusPeriod (reached through `prefix`) to hold on `on`."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
    )


class MemberQuerySet(ActiveQuerySet):
    def with_status(self, on: dt.date) -> "MemberQuerySet":
        """Annotate `status` ("" before admission) and `exempt` as they stood on `on`.

        One outer join to the status period holding that day: at most one does."""
        return self.annotate(
            period_on=FilteredRelation(
                "status_periods", condition=period_valid_on(on, "status_periods__")
            )
        ).annotate(status=Coalesce(F("period_on__status"), Value("")), exempt=exempt_on(on))

    def placed_in(self, unit: OrgUnit, on: dt.date) -> "MemberQuerySet":
        """Members with an official placement inside `unit`'s subtree (as it stood) on `on`."""
        units = OrgUnit.all_objects.within(unit, on).values("pk")
        placements = Placement.objects.active_on(on).filter(
            kind=PlacementKind.OFFICIAL, unit__in=units
        )
        return self.filter(pk__in=placements.values("member_id"))

    def search(self, query: str | None, *, by_unit: bool = False) -> "MemberQuerySet":
        """Records whose name holds each word of `query` (diacritics and case aside).

        `by_unit`: each word is matched on the name in the "C" collation, which the trigram
        index (PostgreSQL, the database's collation) cannot serve, so the database reads the
        names of the units the query keeps from member_unit_name_idx instead: what the scope
        holds, however many records of the whole database match (members.queries.
        member_list). Still LIKE on the column, so PostgreSQL estimates the matches from its
        statistics (a function such as strpos is taken to keep a third of the rows, and a
        page of whole records then read the province's in parallel: 190 ms for "hung").
        The same rows: byte order does not change what a LIKE matches."""
        qs = self
        for term in terms(query):
            if by_unit:
                binary = "C" if connections[self.db].vendor == "postgresql" else "BINARY"
                qs = qs.filter(Contains(Collate(F("search_name"), binary), term))
            else:
                qs = qs.filter(search_name__contains=term)
        return qs


MemberManager = ActiveManager.from_queryset(MemberQuerySet)


class Member(Versioned, SoftDeletable):
    """A party member (đảng viên)."""

    code = models.CharField(
        _("record code"),
        max_length=32,
        unique=True,
        help_text=_("The office's code for this member's record; used to match imports."),
    )
    full_name = models.CharField(_("full name"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=40, default="Kinh")
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9 .]{8,20}$", _("Enter a valid phone number."))],
    )
    email = models.EmailField(_("e-mail"), blank=True)
    national_id = models.CharField(
        _("national ID"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[
            RegexValidator(r"^[0-9]{9}([0-9]{3})?$", _("A national ID has 9 or 12 digits."))
        ],
    )
    card_number = models.CharField(
        _("party card number"), max_length=20, null=True, blank=True, unique=True
    )
    # Kept by members.services.member_refresh from placements and events:
    home_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    admitted_on = models.DateField(_("admission decision date"), null=True, editable=False)
    official_on = models.DateField(_("official member date"), null=True, editable=False)
    # The current stint (the latest admission or readmission), for the probation deadlines:
    last_admitted_on = models.DateField(null=True, editable=False)
    ceremony_on = models.DateField(_("admission ceremony"), null=True, editable=False)
    probation_ends_on = models.DateField(_("probation ends"), null=True, editable=False)
    # Kept by chibo.badges.services (keep_badge_years) whenever a badge is recorded: the
    # highest Party badge recorded (years of party age; 0: none). The badge lists' first cut
    # reads it beside `admitted_on`, before any status period or award is looked up.
    badge_years = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberManager()
    all_objects = MemberQuerySet.as_manager()
    # The derived copies are left out: their history is the placements' and events' history,
    # and member_refresh rewrites them in one update.
    history = HistoricalRecords(
        excluded_fields=[
            "search_name",
            "created_at",
            "home_unit",
            "admitted_on",
            "official_on",
            "last_admitted_on",
            "ceremony_on",
            "probation_ends_on",
            "badge_years",
            "version",
        ],
        # History rows are read by record (and member) id only: no index on the rest, which
        # every change would write (docs/growth.md).
        no_db_index=["code", "national_id", "card_number", "deleted_at", "deleted_by"],
    )

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["search_name", "pk"]
        base_manager_name = "all_objects"
        indexes = [
            # A cell's or a commune's list in name order, and a search in a small part of a
            # large database: its names (and ids) read in the index alone, by unit, so the
            # search costs what the scope holds (chibo.members.queries.member_list).
            models.Index(
                fields=["home_unit", "search_name", "id"],
                condition=Q(deleted_at__isnull=True),
                name="member_unit_name_idx",
            ),
            # The badge lists' first cut, read in the index alone (chibo.badges.queries.due).
            models.Index(
                fields=["home_unit", "admitted_on", "badge_years", "id"],
                condition=Q(deleted_at__isnull=True),
                name="member_badge_cut_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def status_on(self, on: dt.date) -> str:
        for p in self.status_periods.all():
            if p.valid_from <= on and (p.valid_to is None or p.valid_to > on):
                return p.status
        return ""


class PlacementKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    TEMPORARY = "temporary", _("Temporary")


class PlacementQuerySet(ActiveQuerySet):
    def active_on(self, on: dt.date) -> "PlacementQuerySet":
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))


PlacementManager = ActiveManager.from_queryset(PlacementQuerySet)


class Placement(Versioned, SoftDeletable):
    """Where a member is active (sinh hoạt) from `start` until the day before `end`.

    An official placement holds the member's record; a temporary one (chuyển sinh hoạt tạm
    thời) runs alongside it in another cell."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="placements")
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="placements"
    )
    party_group = models.ForeignKey(
        OrgUnit,
        verbose_name=_("party group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_placements",
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=PlacementKind.choices, default=PlacementKind.OFFICIAL
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("left on"), null=True, blank=True)
    letter_number = models.CharField(_("letter number"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = PlacementManager()
    all_objects = PlacementQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["version"],
        no_db_index=["unit", "party_group", "deleted_at", "deleted_by"],
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["start", "pk"]
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["unit", "start", "end"]),
            models.Index(fields=["member", "start"]),
            # Who is officially placed in a subtree on a day, from the index alone: the
            # province's lists read 100,000 placements from the table (members.0019).
            models.Index(
                fields=["unit", "start", "end", "member"],
                condition=Q(kind="official", deleted_at__isnull=True),
                name="placement_official_unit_idx",
            ),
            # The few official placements that have ended, by unit: who was placed in a
            # subtree on a day and has moved on since (chibo.badges.queries.due.placed).
            models.Index(
                fields=["unit", "end", "start", "member"],
                condition=Q(kind="official", deleted_at__isnull=True, end__isnull=False),
                name="placement_ended_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="placement_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.unit}"

    def is_active(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or self.end > on)


class PositionKind(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    VILLAGE_HEAD = "village_head", _("Village head")
    FRONT_HEAD = "front_head", _("Head of the Fatherland Front committee")


PARTY_POSITIONS = {
    PositionKind.SECRETARY,
    PositionKind.DEPUTY_SECRETARY,
    PositionKind.COMMITTEE_MEMBER,
}
CIVIC_POSITIONS = {PositionKind.VILLAGE_HEAD, PositionKind.FRONT_HEAD}


POSITION_RANK = {kind: rank for rank, kind in enumerate(PositionKind)}


class PositionQuerySet(ActiveQuerySet):
    def held_on(self, on: dt.date) -> "PositionQuerySet":
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))

    def by_rank(self) -> "PositionQuerySet":
        """Secretary first, then deputy, committee members, village posts."""
        rank = Case(
            *[When(kind=k, then=Value(r)) for k, r in POSITION_RANK.items()],
            output_field=models.IntegerField(),
        )
        return self.alias(rank=rank).order_by("rank", "member__search_name", "pk")


PositionManager = ActiveManager.from_queryset(PositionQuerySet)


class Position(Versioned, SoftDeletable):
    """A post held for a time: party posts in a unit, civic posts in a village."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="positions")
    kind = models.CharField(_("position"), max_length=20, choices=PositionKind.choices)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=40, blank=True)

    objects = PositionManager()
    all_objects = PositionQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["version"], no_db_index=["unit", "village", "deleted_at", "deleted_by"]
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-start", "pk"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="position_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member}"

    @property
    def place(self) -> OrgUnit | Village | None:
        return self.unit or self.village


class MemberEventQuerySet(ActiveQuerySet):
    pass


MemberEventManager = ActiveManager.from_queryset(MemberEventQuerySet)


class MemberEvent(Versioned, SoftDeletable):
    """A dated step in a member's life in the Party, with the decision behind it."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(
        _("reason"), max_length=20, choices=ExemptionReason.choices, blank=True
    )
    decision_number = models.CharField(_("decision number"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = MemberEventManager()
    all_objects = MemberEventQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["version"], no_db_index=["deleted_at", "deleted_by"]
    )

    class Meta:
        verbose_name = _("member event")
        verbose_name_plural = _("member events")
        ordering = ["date", "pk"]
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["member", "kind", "date"]),
            # Who is exempt on a day, across a subtree (the badge list's early cases for
            # illness): the few exemptions of the database, without their heap rows.
            models.Index(
                fields=["date", "member", "end_date", "reason"],
                condition=Q(kind="exempted", deleted_at__isnull=True),
                name="memberevent_exempted_idx",
            ),
            # The deaths of a window across the database (a province's posthumous badges).
            models.Index(
                fields=["date", "member"],
                condition=Q(kind="deceased", deleted_at__isnull=True),
                name="memberevent_deceased_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")),
                name="event_end_after_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class StatusPeriod(models.Model):
    """A member's status from `valid_from` until the day before `valid_to`, derived from the
    status events by members.services.member_refresh (see members.derive). Never edited by
    people; it lets "status on date D" be an indexed join in every count and report."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_periods")
    status = models.CharField(max_length=12, choices=Status.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    # In the Party: the day party age counts from, for any day of this period (the first
    # admission, moved later by the days spent out of the Party before this period).
    party_age_from = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["valid_from"]
        indexes = [
            models.Index(fields=["member", "valid_from"]),
            models.Index(fields=["status", "valid_from", "valid_to"]),
            # "Whose status is X today": (valid_to IS NULL OR valid_to > day) as two index
            # ranges, the periods still open, not every period of that status since 1930.
            models.Index(fields=["status", "valid_to"], name="statusperiod_status_to_idx"),
            # Who is on probation today, without the rows: the development lists.
            models.Index(
                fields=["member", "valid_from"],
                condition=Q(status="probationary", valid_to__isnull=True),
                name="statusperiod_on_probation_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.status} {self.valid_from}"


class TransferState(models.TextChoices):
    PENDING = "pending", _("Sent, not yet received")
    ACCEPTED = "accepted", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(Versioned):
    """A move of a member's activities (chuyển sinh hoạt đảng) to another cell.

    Official: the record moves; the member leaves the sending cell on `sent_on` and belongs to
    the receiving cell from `received_on`, when that cell accepts. In between the member is in
    transit and counts in neither. Temporary: the record stays; the member also takes part in
    the receiving cell from `received_on` until `until`. The placements are written by
    chibo.members.transfers, which also keeps this row's state."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("kind"), max_length=10, choices=PlacementKind.choices)
    from_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("from cell"), on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("to cell"), on_delete=models.PROTECT, related_name="+"
    )
    letter_number = models.CharField(_("letter number"), max_length=40)
    sent_on = models.DateField(_("sent on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    until = models.DateField(_("temporary until"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=TransferState.choices, default=TransferState.PENDING
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    placement = models.OneToOneField(
        Placement, null=True, blank=True, on_delete=models.SET_NULL, related_name="transfer"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at", "version"])

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-sent_on", "pk"]
        indexes = [
            models.Index(fields=["from_unit", "sent_on"]),
            models.Index(fields=["to_unit", "sent_on"]),
            models.Index(fields=["state", "sent_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=models.F("sent_on")),
                name="transfer_received_after_sent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_unit} → {self.to_unit}"


# The open end of a kept count: a date rather than NULL, so that "holds on D" is one range
# test (valid_from <= D < valid_to) that an index on (unit, valid_to) answers directly.
FOREVER = dt.date(9999, 12, 31)


class MemberCount(models.Model):
    """Kept counts (chibo.members.counts): the members officially placed directly in `unit`
    (a cell) from `valid_from` until the day before `valid_to`, by their status then, and
    among those in the Party the exempt ones. A step function of time per cell, rewritten
    from the cell's placements, status periods and exemptions whenever a service changes
    one of them; the count of a subtree on a date is the sum of its cells' rows holding that
    day, the cells reached through the closure table as it stood that day. No row: zero."""

    # Indexed by the first index below (unit first).
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="member_counts", db_index=False
    )
    valid_from = models.DateField()
    valid_to = models.DateField(default=FOREVER)
    probationary = models.PositiveIntegerField(default=0)
    official = models.PositiveIntegerField(default=0)
    exempt = models.PositiveIntegerField(default=0)  # in the Party and exempt from activities
    removed = models.PositiveIntegerField(default=0)
    expelled = models.PositiveIntegerField(default=0)
    withdrew = models.PositiveIntegerField(default=0)
    deceased = models.PositiveIntegerField(default=0)

    class Meta:
        # A small scope (a commune) probes its cells' rows; a wide one (a province) reads
        # the rows holding that day, few for a recent day, and keeps its cells'.
        indexes = [
            models.Index(fields=["unit", "valid_to", "valid_from"]),
            models.Index(fields=["valid_to", "valid_from"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="member_count_one_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.valid_from}–{self.valid_to}"
