"""An import is one write: one event for the whole commit, whatever the services its rows
call; a preview records nothing, a refused commit nothing."""

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from chibo.core import audit
from chibo.core.models import AuditEvent
from chibo.development.models import Candidate
from chibo.imports.models import ImportJob
from chibo.imports.services import import_commit, import_preview, job_commit, job_create
from chibo.members.models import Member
from chibo.testing.lifecycle import CANDIDATE_HEAD, candidate_row, name_introducers
from chibo.testing.workbooks import MEMBER_HEAD, valid_sheets, xlsx


def mark() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def since(start: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=start).order_by("pk"))


def members_book(n: int) -> dict:
    rows = [
        [f"IMP{i:03d}", f"Nguyễn Văn Số {i}", "Nam", "01/01/1980", "", "X01-CB01", "19/05/2010", ""]
        for i in range(n)
    ]
    return {"Đảng viên": [MEMBER_HEAD, *rows]}


def test_importing_n_members_is_one_event_about_the_import(world, cast):
    start = mark()
    report = import_commit(actor=cast.base_officer, files=[("list.xlsx", xlsx(members_book(5)))])
    assert report.committed and Member.objects.filter(code__startswith="IMP").count() == 5
    (event,) = since(start)
    job = ImportJob.objects.get()
    assert (job.user, job.state, job.filename, bytes(job.content)) == (
        cast.base_officer,
        ImportJob.State.COMMITTED,
        "list.xlsx",
        b"",  # the records are written; the file is not kept
    )
    assert (event.kind, event.actor, event.object_id, event.about_id) == (
        "imports.imported",
        cast.base_officer,
        job.pk,
        job.pk,
    )
    assert event.object_type.model_class() is ImportJob
    assert event.facts == {
        "file": "list.xlsx",
        "create": 5,
        "update": 0,
        "unchanged": 0,
        "error": 0,
        "members_create": 5,
    }
    with translation.override("en"):
        assert audit.sentence(event) == "Imported list.xlsx: 5 created, 0 updated, 0 unchanged"


def test_a_workbook_of_every_sheet_counts_each_sheet(world, cast):
    start = mark()
    import_commit(actor=cast.base_officer, files=[("book.xlsx", xlsx(valid_sheets()))])
    (event,) = since(start)
    # By hand from valid_sheets(): 2 units, 2 villages, 2 members, 2 events (IMP001's
    # reprimand, IMP002's official membership), 2 positions.
    assert {k: v for k, v in event.facts.items() if k.endswith("_create")} == {
        "units_create": 2,
        "villages_create": 2,
        "members_create": 2,
        "events_create": 2,
        "positions_create": 2,
    }
    assert (event.facts["create"], event.facts["update"]) == (10, 0)


def test_the_pipelines_steps_imported_are_not_events_of_their_own(world, cast):
    name_introducers(world, cast)
    start = mark()
    report = import_commit(
        actor=cast.base_officer,
        files=[("c.xlsx", xlsx({"Quần chúng ưu tú": [CANDIDATE_HEAD, candidate_row()]}))],
    )
    assert report.committed and Candidate.objects.count() == 1
    # Proposed, class, introduced, voted: four services, one import.
    assert [e.kind for e in since(start)] == ["imports.imported"]


def test_a_preview_and_a_refused_commit_record_nothing(world, cast):
    start = mark()
    book = members_book(2)
    import_preview(actor=cast.base_officer, files=[("list.xlsx", xlsx(book))])
    book["Đảng viên"][2][3] = "30/02/1980"
    report = import_commit(actor=cast.base_officer, files=[("list.xlsx", xlsx(book))])
    assert not report.committed
    assert since(start) == [] and not ImportJob.objects.exists()


def test_an_upload_then_its_commit(world, cast):
    start = mark()
    job = job_create(actor=cast.base_officer, files=[("list.xlsx", xlsx(members_book(3)))])
    (uploaded,) = since(start)
    assert (uploaded.kind, uploaded.actor, uploaded.object_id) == (
        "imports.uploaded",
        cast.base_officer,
        job.pk,
    )
    assert uploaded.facts["create"] == 3 and not Member.objects.filter(code="IMP000").exists()
    with translation.override("en"):
        assert audit.sentence(uploaded) == (
            "Uploaded list.xlsx for a preview: 3 to create, 0 to update, 0 unchanged, 0 errors"
        )
    start = mark()
    assert job_commit(job=job, actor=cast.base_officer).committed
    (imported,) = since(start)
    assert (imported.kind, imported.actor, imported.object_id, imported.facts["create"]) == (
        "imports.imported",
        cast.base_officer,
        job.pk,
        3,
    )
    # A second click writes nothing and records nothing.
    start = mark()
    assert job_commit(job=job, actor=cast.base_officer) is None
    assert since(start) == []
    assert [e.kind for e in audit.of(job)] == ["imports.imported", "imports.uploaded"]


def test_a_job_with_errors_imports_nothing_and_records_no_import(world, cast):
    book = members_book(2)
    book["Đảng viên"][2][3] = "30/02/1980"
    job = job_create(actor=cast.base_officer, files=[("list.xlsx", xlsx(book))])
    start = mark()
    report = job_commit(job=job, actor=cast.base_officer)
    assert report is not None and not report.committed
    assert since(start) == []
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEWED and job.summary["has_errors"]
    assert [e.kind for e in audit.of(job)] == ["imports.uploaded"]


def test_the_command_without_a_user_imports_as_the_system(world, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(xlsx(members_book(2)))
    start = mark()
    call_command("import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    (event,) = since(start)
    job = ImportJob.objects.get()
    assert (event.actor, job.user, event.object_id, event.facts["create"]) == (
        None,
        None,
        job.pk,
        2,
    )
    start = mark()
    with pytest.raises(CommandError):
        call_command("import", str(path), "--dry-run", stdout=io.StringIO(), stderr=io.StringIO())
    assert since(start) == []


def test_the_jobs_page_says_what_was_done_in_vietnamese_and_in_english(world, cast, client_for, en):
    office = client_for(cast.base_officer)
    upload = SimpleUploadedFile("list.xlsx", xlsx(members_book(2)))
    response = office.post(reverse("imports:upload"), {"uploads": [upload]})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    office.post(reverse("imports:commit", args=[job.pk]))
    page = reverse("imports:preview", args=[job.pk])
    english = en(cast.base_officer).get(page).text
    assert "Imported list.xlsx: 2 created, 0 updated, 0 unchanged" in english
    assert "Uploaded list.xlsx for a preview: 2 to create" in english
    with translation.override("vi"):
        said = gettext(
            "Imported %(file)s: %(create)s created, %(update)s updated, %(unchanged)s unchanged"
        ) % {"file": "list.xlsx", "create": 2, "update": 0, "unchanged": 0}
    assert html.escape(said) in office.get(page).text
