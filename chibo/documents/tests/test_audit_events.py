"""Taking a document number records one audit event, the first time only; the checks before a
meeting's document is issued take the number through it, and a refusal records nothing."""

import datetime as dt

from django.utils import translation

from chibo.core import audit
from chibo.documents import services as ds
from chibo.documents.models import DocType, IssuedDocument, IssuerSettings
from chibo.meetings.tests.events import check, no_event, refused, the_event

from .test_meeting_documents import DAY, make_meeting


def test_a_meetings_resolution_is_numbered_once_by_whoever_asks_first(world, cast):
    IssuerSettings.objects.create(unit=world.cell, symbol="CBĐ")
    draft = make_meeting(world.cell, adopt=False)
    # A draft has no number: nothing is written.
    assert (
        no_event(
            lambda: ds.meeting_document(meeting=draft, type=DocType.RESOLUTION, actor=cast.viewer)
        )
        is None
    )
    m = make_meeting(world.cell, day=dt.date(2026, 3, 20), actor=cast.secretary)
    _, e = the_event(
        lambda: ds.meeting_document(meeting=m, type=DocType.RESOLUTION, actor=cast.viewer)
    )
    check(
        e,
        ds.NUMBERED,
        actor=cast.viewer,
        obj=(IssuedDocument, IssuedDocument.objects.get(meeting=m).pk),
        about=m,
        facts={"code": "01-NQ/CBĐ", "type": {"t": "Resolution"}, "on": "20/03/2026"},
    )
    with translation.override("en"):
        assert audit.sentence(e) == "Document number 01-NQ/CBĐ taken: Resolution of 20/03/2026"
    # Asked again: the same number, nothing written.
    no_event(lambda: ds.meeting_document(meeting=m, type=DocType.RESOLUTION, actor=cast.viewer))
    assert IssuedDocument.objects.count() == 1


def test_a_number_without_a_meeting_is_about_its_issuer(world, cast):
    _, e = the_event(
        lambda: ds.document_number(
            issuer=world.base, type=DocType.NOTICE, on=DAY, actor=cast.base_officer
        )
    )
    check(
        e,
        ds.NUMBERED,
        actor=cast.base_officer,
        obj=(IssuedDocument, IssuedDocument.objects.get(issuer=world.base).pk),
        about=world.base,
        facts={"code": "01-TB/ĐU", "type": {"t": "Notice"}, "on": "05/03/2026"},
    )
    refused(
        lambda: ds.document_number(issuer=world.cell, type="XX", on=DAY, actor=cast.secretary),
        "Unknown document type",
    )
    refused(
        lambda: ds.document_number(
            issuer=world.cell, type=DocType.NOTICE, on=dt.date(2001, 1, 1), actor=cast.secretary
        ),
        "No committee term",
    )


def test_a_refused_meeting_document_records_nothing(world, cast):
    m = make_meeting(world.cell, passed=False, adopt=False)
    refused(
        lambda: ds.meeting_document(meeting=m, type=DocType.RESOLUTION, actor=cast.secretary),
        "did not pass",
    )
    assert not IssuedDocument.objects.exists()
