"""A large upload in the background: queued on upload, previewed and committed by the
worker's tasks (run here as the worker runs them), its progress on the page, the result in
the notification centre, and nothing written when the commit fails midway."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from chibo.imports import services
from chibo.imports.models import ImportJob
from chibo.imports.reminders import IMPORT_CHECKED, IMPORT_DONE, IMPORT_FAILED
from chibo.imports.tasks import commit_import, preview_import
from chibo.notices.models import Notice
from chibo.testing.workbooks import VALID_ADDS, added, counts, snapshot, valid_sheets, xlsx

UPLOAD = reverse("imports:upload")


@pytest.fixture
def office(cast):
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(cast.base_officer)
    return client


@pytest.fixture
def background(settings):
    settings.CHIBO_IMPORT_BACKGROUND_BYTES = 0  # every upload goes to the worker


def _upload(client, captured) -> ImportJob:
    with captured(execute=True):
        response = client.post(
            UPLOAD, {"uploads": [SimpleUploadedFile("tinh.xlsx", xlsx(valid_sheets()))]}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:preview", args=[job.pk]
    )
    return job


def test_upload_preview_and_commit_run_in_the_worker(
    world, cast, office, background, django_capture_on_commit_callbacks
):
    before = counts()
    job = _upload(office, django_capture_on_commit_callbacks)
    assert job.state == ImportJob.State.QUEUED and job.summary == {}
    assert DBTaskResult.objects.get().task_path == "chibo.imports.tasks.preview_import"
    # The page shows a progress bar that polls the job, and no report yet.
    page = office.get(reverse("imports:preview", args=[job.pk])).text
    status = reverse("imports:status", args=[job.pk])
    assert f'hx-get="{status}"' in page and 'hx-trigger="every 1s"' in page
    assert 'role="progressbar"' in page and 'aria-valuenow="0"' in page
    assert "You may close this page" in page and "<script" not in page.split("<main")[-1]
    assert reverse("imports:commit", args=[job.pk]) not in page

    assert preview_import.call(job.pk) == ImportJob.State.PREVIEWED  # the worker's code path
    job.refresh_from_db()
    assert job.progress == 100 and job.summary["counts"]["create"] == 10
    assert counts() == before  # a preview writes nothing
    notice = Notice.objects.get(user=cast.base_officer)
    assert notice.kind == IMPORT_CHECKED and notice.url == reverse("imports:preview", args=[job.pk])
    assert notice.params == {
        "file": "tinh.xlsx",
        "create": "10",
        "update": "0",
        "unchanged": "0",
        "error": "0",
    }
    # The polling fragment, once the work is done, reloads the page.
    response = office.get(status, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true" and "every 1s" not in response.text
    assert preview_import.call(job.pk) == ""  # enqueued twice: previewed once

    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(reverse("imports:commit", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTING and counts() == before
    page = office.get(reverse("imports:preview", args=[job.pk])).text
    assert "The records are being imported in the background" in page
    # A second click queues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("imports:commit", args=[job.pk]))
    assert DBTaskResult.objects.filter(task_path__endswith="commit_import").count() == 1

    assert commit_import.call(job.pk) == "committed"
    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTED and job.content == b"" and job.progress == 100
    assert added(before, counts()) == VALID_ADDS
    done = Notice.objects.get(user=cast.base_officer, kind=IMPORT_DONE)
    assert done.params["create"] == "10"
    page = office.get(reverse("imports:preview", args=[job.pk])).text
    assert "This file was imported at" in page
    # The notification centre lists it.
    centre = office.get(reverse("notices:list")).text
    assert "tinh.xlsx has been imported: 10 created, 0 updated, 0 unchanged." in centre
    assert commit_import.call(job.pk) == ""  # run twice: imported once
    assert added(before, counts()) == VALID_ADDS


def test_progress_is_recorded(world, cast, background, django_capture_on_commit_callbacks):
    job = services.job_create(actor=cast.base_officer, files=[("t.xlsx", xlsx(valid_sheets()))])
    seen: list[int] = []
    progress = services._progress_of

    def watching(j):
        cm = progress(j)

        class Spy:
            def __enter__(self):
                inner = cm.__enter__()

                def record(percent: int) -> None:
                    seen.append(percent)
                    inner(percent)

                return record

            def __exit__(self, *exc):
                return cm.__exit__(*exc)

        return Spy()

    services._progress_of = watching
    try:
        services.job_preview(job_id=job.pk)
    finally:
        services._progress_of = progress
    # Reading is the first tenth, then each row moves it on, up to 99; the end says 100.
    assert seen[0] == 10 and seen == sorted(seen) and seen[-1] == 99 and len(seen) > 5
    job.refresh_from_db()
    assert job.progress == 100


def test_a_commit_that_fails_midway_writes_nothing(
    world, cast, office, background, django_capture_on_commit_callbacks, monkeypatch
):
    job = _upload(office, django_capture_on_commit_callbacks)
    preview_import.call(job.pk)
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("imports:commit", args=[job.pk]))
    before = snapshot()
    # The members sheet breaks down once its new members are written (a lost connection, a
    # bug): the units and villages before them were written in the same transaction.
    from chibo.members.importing import bulk

    real = bulk.member_create_many

    def breaks(**kwargs):
        real(**kwargs)
        raise RuntimeError("connection lost")

    monkeypatch.setattr(bulk, "member_create_many", breaks)
    assert commit_import.call(job.pk) == ""
    assert snapshot() == before  # nothing half-written
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "chưa có dữ liệu nào được ghi" in job.error  # said in the default language
    notice = Notice.objects.get(user=cast.base_officer, kind=IMPORT_FAILED)
    assert notice.params == {"file": "tinh.xlsx"}
    page = office.get(reverse("imports:preview", args=[job.pk])).text
    assert "chưa có dữ liệu nào được ghi" in page and "every 1s" not in page


def test_a_preview_that_fails_is_said(world, cast, office, background, monkeypatch):
    job = services.job_create(actor=cast.base_officer, files=[("t.xlsx", xlsx(valid_sheets()))])

    def breaks(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(services, "import_preview", breaks)
    assert preview_import.call(job.pk) == "failed"
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert Notice.objects.get(user=cast.base_officer).kind == IMPORT_FAILED


def test_status_is_the_uploaders_alone(world, cast, office, background, client_for):
    job = services.job_create(actor=cast.base_officer, files=[("t.xlsx", xlsx(valid_sheets()))])
    status = reverse("imports:status", args=[job.pk])
    assert office.get(status).status_code == 200
    assert client_for(cast.outsider).get(status).status_code == 404
    assert client_for(cast.province_officer).get(status).status_code == 404
    assert client_for(cast.member).get(status).status_code == 403
    assert office.post(status).status_code == 405


def test_small_files_are_still_done_at_once(world, cast, office):
    job = services.job_create(actor=cast.base_officer, files=[("t.xlsx", xlsx(valid_sheets()))])
    assert job.state == ImportJob.State.PREVIEWED and not DBTaskResult.objects.exists()
