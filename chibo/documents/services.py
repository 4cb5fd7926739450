"""Numbering party documents, and the checks before a meeting's documents are issued.

Taking a number is the write (`document_number`, one audit event the first time a number is
taken; asking again for a meeting's document returns it and writes nothing).
`meeting_document` checks the meeting, then takes the number through it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit
from chibo.meetings.models import Meeting, State, Vote
from chibo.org.models import OrgUnit

from . import issuers
from .models import DocType, IssuedDocument

ATTEMPTS = 3

NUMBERED = audit.kind(
    "documents.numbered", gettext_lazy("Document number %(code)s taken: %(type)s of %(on)s")
)


def _for_meeting(meeting: Meeting, type: str) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(meeting=meeting, type=type).first()


@audit.write
def document_number(
    *, issuer: OrgUnit, type: str, on: dt.date, meeting: Meeting | None = None, actor
) -> IssuedDocument:
    """Take the next number of `type` in the issuer's term on `on`. For a meeting's document the
    number is taken once: asking again returns the same one."""
    if type not in DocType.values:
        raise ValidationError(_("Unknown document type."), code="type")
    if meeting is not None and (existing := _for_meeting(meeting, type)):
        return existing
    term = issuers.term_for(issuer, on).year
    symbol = issuers.symbol(issuer)
    # Lock the issuer's row so that two people numbering at once queue here instead of both
    # reading the same last number. SQLite ignores FOR UPDATE (it serialises writers itself);
    # the unique constraints are the backstop, and a clash is retried.
    OrgUnit.all_objects.select_for_update().filter(pk=issuer.pk).first()
    for _attempt in range(ATTEMPTS):
        last = IssuedDocument.objects.filter(issuer=issuer, type=type, term=term).aggregate(
            last=Max("number")
        )["last"]
        try:
            with transaction.atomic():
                issued = IssuedDocument.objects.create(
                    issuer=issuer,
                    type=type,
                    term=term,
                    number=(last or 0) + 1,
                    symbol=symbol,
                    issued_on=on,
                    meeting=meeting,
                )
        except IntegrityError:
            # Someone took that number, or numbered this meeting's document, meanwhile.
            if meeting is not None and (existing := _for_meeting(meeting, type)):
                return existing
            continue
        audit.record(
            NUMBERED,
            actor=actor,
            obj=issued,
            about=meeting if meeting is not None else issuer,
            code=issued.code,
            type=DocType(type),
            on=on,
        )
        return issued
    raise ValidationError(_("Could not take a document number. Try again."), code="busy")


def resolution_vote(meeting: Meeting) -> Vote:
    """The latest vote on the meeting's resolution, which must have passed."""
    last = meeting.votes.filter(on_resolution=True).order_by("-recorded_at", "-pk").first()
    if last is None:
        raise ValidationError(_("The resolution has not been voted on."), code="not_voted")
    if not last.passed:
        raise ValidationError(
            _("The resolution did not pass and cannot be issued."), code="not_passed"
        )
    return last


def meeting_document(*, meeting: Meeting, type: str, actor) -> IssuedDocument | None:
    """Check that the meeting's minutes or resolution can be issued, and number it once the
    minutes are adopted (the write is document_number's, by `actor`, the person asking for
    the file). A draft (held, not adopted) has no number yet: None."""
    if type not in (DocType.MINUTES, DocType.RESOLUTION):
        raise ValidationError(_("Unknown document type."), code="type")
    if meeting.state not in (State.HELD, State.ADOPTED):
        raise ValidationError(
            _("Documents are issued only for a meeting that was held."), code="not_held"
        )
    if type == DocType.RESOLUTION:
        if not meeting.resolution.strip():
            raise ValidationError(_("This meeting has no resolution text."), code="no_text")
        resolution_vote(meeting)
    if meeting.state != State.ADOPTED:
        return None
    return document_number(
        issuer=meeting.cell, type=type, on=meeting.day, meeting=meeting, actor=actor
    )
