"""The pages, through the test client: works for office, outsider 404, read-only 403,
wrong method 405, and the template's round trip."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from chibo.core.sheets import sheets
from chibo.imports.models import ImportJob
from chibo.members.models import Member
from chibo.org.models import OrgUnit
from chibo.testing.workbooks import (
    MEMBER_HEAD,
    VALID_ADDS,
    added,
    counts,
    csv_bytes,
    snapshot,
    valid_sheets,
    xlsx,
)

UPLOAD = reverse("imports:upload")
TEMPLATE = reverse("imports:template")


@pytest.fixture
def login():
    def make(user) -> Client:
        client = Client()
        client.cookies["django_language"] = "en"
        client.force_login(user)
        return client

    return make


def upload(client, *files: tuple[str, bytes]):
    return client.post(UPLOAD, {"uploads": [SimpleUploadedFile(n, c) for n, c in files]})


def test_upload_page_for_office(world, cast, login):
    response = login(cast.base_officer).get(UPLOAD)
    assert response.status_code == 200
    assert TEMPLATE.encode() in response.content
    assert b'enctype="multipart/form-data"' in response.content
    assert b"multiple" in response.content


def test_anonymous_is_sent_to_login(world):
    response = Client().get(UPLOAD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_read_only_roles_get_403(world, cast, login):
    for user in (cast.viewer, cast.member):
        client = login(user)
        assert client.get(UPLOAD).status_code == 403
        assert upload(client, ("b.xlsx", xlsx(valid_sheets()))).status_code == 403
        assert client.get(TEMPLATE).status_code == 403
    assert not ImportJob.objects.exists()


def test_wrong_method_gets_405(world, cast, login):
    client = login(cast.base_officer)
    job = ImportJob.objects.create(user=cast.base_officer, filename="x.csv", content=b"")
    assert client.put(UPLOAD).status_code == 405
    assert client.post(TEMPLATE).status_code == 405
    assert client.post(reverse("imports:preview", args=[job.pk])).status_code == 405
    assert client.get(reverse("imports:commit", args=[job.pk])).status_code == 405


def test_upload_preview_commit(world, cast, login):
    client = login(cast.base_officer)
    before = snapshot()
    response = upload(client, ("book.xlsx", xlsx(valid_sheets())))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:preview", args=[job.pk])
    assert snapshot() == before  # the preview wrote nothing

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Create: 10" in html and "Errors: 0" in html
    assert 'class="row-create"' in html and "table-responsive" in html
    assert reverse("imports:commit", args=[job.pk]) in html

    numbers = counts()
    response = client.post(reverse("imports:commit", args=[job.pk]), follow=True)
    assert "Imported: 10 created, 0 updated, 0 unchanged." in response.content.decode()
    assert added(numbers, counts()) == VALID_ADDS
    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTED and job.committed_at is not None
    # The history of a web import names the user (the request's middleware).
    assert Member.objects.get(code="IMP001").history.first().history_user == cast.base_officer

    # A second click: no second write.
    numbers = snapshot()
    response = client.post(reverse("imports:commit", args=[job.pk]), follow=True)
    assert "This file has already been imported." in response.content.decode()
    assert snapshot() == numbers


def test_errors_show_and_block_commit(world, cast, login):
    client = login(cast.base_officer)
    data = valid_sheets()
    data["Đảng viên"][1][3] = "30/02/1985"
    response = upload(client, ("book.xlsx", xlsx(data)))
    html = client.get(response["Location"]).content.decode()
    assert 'class="row-error"' in html
    assert "“30/02/1985” is not a date; write it as dd/mm/yyyy." in html
    job = ImportJob.objects.get()
    assert reverse("imports:commit", args=[job.pk]) not in html
    # Posting the commit anyway writes nothing.
    before = snapshot()
    response = client.post(reverse("imports:commit", args=[job.pk]), follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert snapshot() == before
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEWED


def test_not_a_spreadsheet_shows_on_the_preview(world, cast, login):
    client = login(cast.base_officer)
    response = upload(client, ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(300)))
    html = client.get(response["Location"]).content.decode()
    assert "photo.xlsx: this file is not a spreadsheet." in html


def test_several_csv_files_are_kept_as_one_job(world, cast, login):
    client = login(cast.base_officer)
    villages = csv_bytes([["cell_code", "name"], ["X01-CB01", "Thôn Nam"]])
    row = ["IMP070", "Mai Văn Bảy", "Nam", "01/01/1970", "", "X01-CB01", "01/01/2000", ""]
    response = upload(
        client, ("villages.csv", villages), ("members.csv", csv_bytes([MEMBER_HEAD, row]))
    )
    job = ImportJob.objects.get()
    assert job.filename == "villages.csv+members.csv.zip"
    client.post(reverse("imports:commit", args=[job.pk]))
    assert Member.objects.filter(code="IMP070").exists()
    assert response.status_code == 302


def test_an_xlsx_with_other_files_is_refused(world, cast, login):
    client = login(cast.base_officer)
    response = upload(client, ("a.xlsx", xlsx(valid_sheets())), ("units.csv", b"code\n"))
    assert response.status_code == 200
    assert "Upload one .xlsx workbook, or one or more .csv files." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_someone_elses_job_is_404(world, cast, login):
    response = upload(login(cast.base_officer), ("book.xlsx", xlsx(valid_sheets())))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    outsider = login(cast.outsider)
    before = snapshot()
    assert outsider.get(reverse("imports:preview", args=[job.pk])).status_code == 404
    assert outsider.post(reverse("imports:commit", args=[job.pk])).status_code == 404
    assert snapshot() == before
    # A read-only user is refused before anything is looked up.
    assert login(cast.viewer).post(reverse("imports:commit", args=[job.pk])).status_code == 403


def test_counts_in_vietnamese_format(world, cast, login):
    summary = {
        "counts": {"create": 1234, "update": 0, "unchanged": 5678, "error": 0},
        "sheets": [],
        "problems": [],
        "notes": [],
        "has_errors": False,
        "has_changes": True,
    }
    job = ImportJob.objects.create(
        user=cast.base_officer, filename="big.xlsx", content=b"", summary=summary
    )
    html = login(cast.base_officer).get(reverse("imports:preview", args=[job.pk])).content
    assert "Create: 1.234" in html.decode() and "Unchanged: 5.678" in html.decode()


def test_template_round_trip(world, cast, login):
    client = login(cast.base_officer)
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Hướng dẫn", *(s.title for s in sheets())]
    for sheet in sheets():
        headers = [c.value for c in wb[sheet.title][1]]
        assert headers == [c.label for c in sheet.columns]

    # Fill the downloaded template as an office would, and import it.
    for title, rows in valid_sheets().items():
        ws = wb[title]
        header = [c.value for c in ws[1]]
        for row in rows[1:]:
            values = dict(zip(rows[0], row, strict=True))
            ws.append([values.get(h) for h in header])
    buffer = io.BytesIO()
    wb.save(buffer)
    before = counts()
    response = upload(client, ("filled.xlsx", buffer.getvalue()))
    job = ImportJob.objects.get()
    assert job.summary["has_errors"] is False, job.summary
    client.post(reverse("imports:commit", args=[job.pk]))
    assert added(before, counts()) == VALID_ADDS
    assert OrgUnit.objects.get(code="X01-CB03").parent == world.base


def test_too_large_upload(world, cast, login, settings):
    settings.CHIBO_IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(login(cast.base_officer), ("big.csv", b"a" * (1024 * 1024 + 1)))
    assert "The upload is too large: at most 1 MB." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_uploads_are_not_kept_longer_than_needed(world, cast, login):
    import datetime as dt

    from django.utils import timezone

    client = login(cast.base_officer)
    upload(client, ("old.xlsx", xlsx(valid_sheets())))
    stale = ImportJob.objects.get()
    ImportJob.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    upload(client, ("book.xlsx", xlsx(valid_sheets())))
    # The stale preview (personal data nobody committed) is gone; the new one is there.
    job = ImportJob.objects.get()
    assert job.pk != stale.pk and len(bytes(job.content)) > 0
    client.post(reverse("imports:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTED and bytes(job.content) == b""
    # The preview page still shows what was done.
    assert "Create: 10" in client.get(reverse("imports:preview", args=[job.pk])).content.decode()
