"""Party documents issued by a unit (văn bản của Đảng, Hướng dẫn 36-HD/VPTW, 2018): their
number and symbol ("Số 05-NQ/CB"), numbered per type per committee term (nhiệm kỳ)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.meetings.models import Meeting
from chibo.org.models import OrgUnit


class DocType(models.TextChoices):
    """The type part of the symbol; the value is what is printed."""

    RESOLUTION = "NQ", _("Resolution")
    MINUTES = "BB", _("Minutes")
    REPORT = "BC", _("Report")
    PLAN = "KH", _("Plan")
    NOTICE = "TB", _("Notice")
    DECISION = "QĐ", _("Decision")
    GUIDANCE = "HD", _("Guidance")
    DIRECTIVE = "CT", _("Directive")
    CONCLUSION = "KL", _("Conclusion")
    LETTER = "CV", _("Letter")


class Term(models.Model):
    """A committee term (nhiệm kỳ), from the congress that opened it until the next one.

    Rows without a unit are the national calendar of congress years; a unit that records the
    date of its own congress gets its own rows, which win over the calendar from that date."""

    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit (empty: the national calendar)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="terms",
    )
    starts_on = models.DateField(_("starts on"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("committee term")
        verbose_name_plural = _("committee terms")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "starts_on"], name="term_once_per_unit"),
            models.UniqueConstraint(
                fields=["starts_on"], condition=Q(unit__isnull=True), name="term_once_nationally"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%d/%m/%Y}"

    @property
    def year(self) -> int:
        return self.starts_on.year


class IssuerSettings(models.Model):
    """How a unit signs its documents, when what is derived from its kind and name is wrong:
    its symbol ("CB") and the place name of the date line (địa danh)."""

    unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="issuer_settings")
    symbol = models.CharField(_("symbol"), max_length=20, blank=True)
    place = models.CharField(_("place name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self) -> str:
        return str(self.unit)


class IssuedDocument(models.Model):
    """A number taken by a document: once taken it is never given again in the same term."""

    issuer = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="issued_documents")
    type = models.CharField(_("type"), max_length=2, choices=DocType.choices)
    term = models.PositiveSmallIntegerField(_("term (start year)"))
    number = models.PositiveIntegerField(_("number"))
    # The issuer's symbol when numbered: a later change of settings does not renumber the past.
    symbol = models.CharField(_("symbol"), max_length=20)
    issued_on = models.DateField(_("issued on"))
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["issuer", "type", "term", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "type", "term", "number"], name="document_number_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "type"],
                condition=Q(meeting__isnull=False),
                name="document_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        """'05-NQ/CB': numbers below 10 take a leading zero (36-HD/VPTW)."""
        return f"{self.number:02d}-{self.type}/{self.symbol}"
