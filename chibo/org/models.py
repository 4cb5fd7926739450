"""The organisation tree: units of every kind, their dated ancestry, and villages."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.core.models import ActiveManager, ActiveQuerySet, SoftDeletable
from chibo.core.search import sort_key
from chibo.core.versions import Versioned

# The day the Party was founded: ancestry rows with no known start begin here, so that
# "valid on date D" is a plain range test with no NULL cases.
BEGINNING = dt.date(1930, 2, 3)
SORT_NAME_LENGTH = 300


def unit_sort_name(name: str) -> str:
    """`OrgUnit.sort_name` for a name (cut to the column: the numbers come early in names)."""
    return sort_key(name)[:SORT_NAME_LENGTH]


class Kind(models.TextChoices):
    PROVINCE = "province", _("Province party committee")
    DISTRICT = "district", _("District-level party committee")
    BASE_COMMITTEE = "base_committee", _("Base party committee")
    BASE_CELL = "base_cell", _("Base party cell")
    CELL = "cell", _("Party cell")
    PARTY_GROUP = "party_group", _("Party group")


class CellType(models.TextChoices):
    RURAL = "rural", _("Rural village")
    URBAN = "urban", _("Urban quarter")
    SCHOOL = "school", _("School")
    POLICE = "police", _("Police")
    MILITARY = "military", _("Military")
    HEALTH = "health", _("Health")
    AGENCY = "agency", _("Agency")
    ENTERPRISE = "enterprise", _("Enterprise")


class Sector(models.TextChoices):
    """The sector (khối, loại hình) of a base organisation: where its members work."""

    COMMUNE = "commune", _("Commune, ward, special zone")
    AGENCY = "agency", _("Agency")
    ENTERPRISE = "enterprise", _("Enterprise")
    PUBLIC_SERVICE = "public_service", _("Public service unit")
    ARMED = "armed", _("Armed forces")
    OTHER = "other", _("Other")


# Which kinds may sit directly under which. A base committee may sit under another one
# (partial committees, đảng bộ bộ phận), so the tree has no fixed depth.
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    Kind.PROVINCE: {None},
    Kind.DISTRICT: {Kind.PROVINCE, Kind.DISTRICT},
    Kind.BASE_COMMITTEE: {Kind.PROVINCE, Kind.DISTRICT, Kind.BASE_COMMITTEE},
    Kind.BASE_CELL: {Kind.PROVINCE, Kind.DISTRICT},
    Kind.CELL: {Kind.BASE_COMMITTEE},
    Kind.PARTY_GROUP: {Kind.CELL, Kind.BASE_CELL},
}


def child_kinds(kind: str) -> list[str]:
    """The kinds that may sit directly under a unit of `kind`, in the order of Kind."""
    return [k for k in Kind.values if kind in ALLOWED_PARENTS[k]]


# Kinds in which members are placed (they hold members' records).
CELL_KINDS = {Kind.CELL, Kind.BASE_CELL}
# Kinds that carry a cell type.
TYPED_KINDS = {Kind.CELL, Kind.BASE_CELL}
# Base organisations (tổ chức cơ sở đảng): the kinds that carry a sector.
BASE_KINDS = {Kind.BASE_COMMITTEE, Kind.BASE_CELL}


class OrgUnitQuerySet(ActiveQuerySet):
    def within(self, unit: "OrgUnit | int", on: dt.date | None = None) -> "OrgUnitQuerySet":
        """The unit and everything below it, today or as the tree stood on `on`."""
        ids = Ancestry.objects.valid(on).filter(ancestor=unit).values("descendant_id")
        return self.filter(pk__in=ids)

    def cells(self) -> "OrgUnitQuerySet":
        return self.filter(kind__in=CELL_KINDS)


OrgUnitManager = ActiveManager.from_queryset(OrgUnitQuerySet)


class OrgUnit(Versioned, SoftDeletable):
    """A party organisation (tổ chức đảng): province committee down to party group (tổ đảng)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # The name as lists sort it (chibo.core.search.sort_key: "khu phố 2" before "khu phố 10"),
    # written with the name by the services, the demo and the import.
    sort_name = models.CharField(max_length=SORT_NAME_LENGTH, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    cell_type = models.CharField(
        _("cell type"), max_length=20, choices=CellType.choices, blank=True
    )
    # Base organisations only (BASE_KINDS); the services refuse it on other kinds.
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgUnitManager()
    all_objects = OrgUnitQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["depth", "sort_name", "created_at", "version"])

    class Meta:
        verbose_name = _("party unit")
        verbose_name_plural = _("party units")
        ordering = ["depth", "sort_name", "pk"]
        base_manager_name = "all_objects"

    def __str__(self) -> str:
        return self.name

    @property
    def holds_members(self) -> bool:
        return self.kind in CELL_KINDS

    def ancestors(self, on: dt.date | None = None, include_self: bool = False) -> OrgUnitQuerySet:
        """Root first. One query."""
        links = Ancestry.objects.valid(on).filter(descendant=self)
        if not include_self:
            links = links.exclude(ancestor=self)
        return (
            OrgUnit.all_objects.filter(pk__in=links.values("ancestor_id"))
            .annotate(
                distance=models.Subquery(
                    links.filter(ancestor=models.OuterRef("pk")).values("distance")[:1]
                )
            )
            .order_by("-distance")
        )


class AncestryQuerySet(models.QuerySet):
    def valid(self, on: dt.date | None = None) -> "AncestryQuerySet":
        if on is None:
            return self.filter(valid_to__isnull=True)
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


class Ancestry(models.Model):
    """Closure table of the tree over time: `ancestor` is above `descendant` (or is it, at
    distance 0) from `valid_from` until the day before `valid_to`. Moves close rows and open
    new ones, so a report on a past date walks the tree as it stood then, all in SQL."""

    ancestor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="descendant_links")
    descendant = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="ancestor_links")
    distance = models.PositiveSmallIntegerField()
    valid_from = models.DateField(default=BEGINNING)
    valid_to = models.DateField(null=True, blank=True)

    objects = AncestryQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["ancestor", "valid_to", "descendant"]),
            models.Index(fields=["descendant", "valid_to", "ancestor"]),
        ]


class VillageKind(models.TextChoices):
    VILLAGE = "village", _("Village")
    QUARTER = "quarter", _("Urban quarter")


class VillageQuerySet(ActiveQuerySet):
    pass


VillageManager = ActiveManager.from_queryset(VillageQuerySet)


class Village(Versioned, SoftDeletable):
    """A village or urban quarter (thôn, khu phố): not a party unit, but reports count its
    head, so it is attached to the cell that covers it."""

    cell = models.ForeignKey(
        OrgUnit, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="villages"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=VillageKind.choices, default=VillageKind.VILLAGE
    )

    objects = VillageManager()
    all_objects = VillageQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["name"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(fields=["cell", "name"], name="village_unique_name_per_cell")
        ]

    def __str__(self) -> str:
        return self.name


class SecondFactorRule(models.Model):
    """A unit requires two-step login (xác thực hai bước) of the people holding an office
    role (CHIBO_SECOND_FACTOR_ROLES) on it or on any unit below it: set by a province's office
    for the whole province, or by a lower office for its own part."""

    unit = models.OneToOneField(
        OrgUnit, on_delete=models.CASCADE, related_name="second_factor_rule"
    )
    set_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)
