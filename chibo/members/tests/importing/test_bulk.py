"""The members sheet in batches (members.importing.bulk) leaves the database exactly as the
one-by-one path does: the same members, placements, events, status periods, history rows,
audit events and kept counts, and the same verdict on every row."""

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from chibo.core.models import AuditEvent
from chibo.imports.report import CREATE, ERROR, UPDATE
from chibo.imports.services import import_commit, import_preview
from chibo.members.importing import bulk
from chibo.members.models import Member, MemberCount, MemberEvent, Placement, StatusPeriod
from chibo.members.services import member_update
from chibo.testing.workbooks import EVENT_HEAD, snapshot, xlsx

HEAD = [
    "Mã hồ sơ",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Điện thoại",
    "Email",
    "Số CCCD",
    "Số thẻ đảng viên",
    "Mã chi bộ",
    "Sinh hoạt từ ngày",
    "Ngày kết nạp",
    "Ngày chính thức",
]


def row(code, unit="X01-CB01", *, nid="", card="", admitted="19/05/2010", official="", **kw):
    return [
        code,
        kw.get("name", f"Người {code}"),
        kw.get("gender", "Nam"),
        kw.get("birth", "01/02/1985"),
        kw.get("ethnicity", ""),
        kw.get("phone", ""),
        kw.get("email", ""),
        nid,
        card,
        unit,
        kw.get("placed", ""),
        admitted,
        official,
    ]


GOOD = [
    row("B001", nid="001085000010", card="C-10", official="19/05/2011", email="a@b.vn"),
    row("B002", "x01-cb02", admitted="03/02/2015", placed="01/03/2015", ethnicity="Tày"),
    row("B003", official="19/05/2010", phone="0912345678", gender="Nữ"),  # the same day
    row("B005", card="C-20"),
    row("B017", "X01-CB02", nid="001085000099", card="C-99", official="19/05/2011"),
    row("B018", "X01-CB01 "),  # a space after the unit code
]
BAD = [
    row("B004", nid="001085000010"),  # the national ID of B001
    row("B006", card="C-20"),  # the card of B005
    row("B007", nid="001085000001"),  # an existing member's national ID
    row("B008", "X02-CB01"),  # outside the base committee's scope
    row("B009", "X01"),  # not a cell
    row("B010", "NOPE"),
    row("B011", admitted="01/01/1980"),  # before the birth date
    row("B012", official="01/01/2009"),  # official before admission
    row("B013", admitted="01/01/2099"),  # in the future
    row("B014", email="not-an-email"),
    row("B015", phone="12"),
    row("B016", nid="12345"),
    row("B001", nid="001085000077"),  # a duplicate row of the file
]


def workbook(world, *, bad: bool) -> bytes:
    """New members of every shape, an update of an existing member, a later sheet that
    refers to the new members; `bad`: and rows that fail each check, among the good ones."""
    member_update(actor=None, member=world.member, profile={"national_id": "001085000001"})
    update = row(  # an update of an existing member: one by one, after its batch
        world.member.code,
        name=world.member.full_name,
        birth="01/01/1980",
        admitted="02/03/2015",
        official="02/03/2016",
        phone="0987654321",
    )
    members = [*GOOD[:3], update, *GOOD[3:]]
    if bad:
        members = [x for pair in zip(members, BAD, strict=False) for x in pair] + BAD[7:]
    events = [
        EVENT_HEAD,
        ["B001", "Khiển trách", "01/06/2020", "3-QĐ/CB"],
        ["B017", "Chính thức", "19/05/2011", ""],
    ]
    return xlsx({"Đảng viên": [HEAD, *members], "Sự kiện": events})


def state() -> dict:
    """Everything an import of members writes, by record code (ids differ between runs)."""
    members = {}
    for m in Member.all_objects.select_related("home_unit").order_by("code"):
        fields = {
            f.attname: getattr(m, f.attname)
            for f in Member._meta.concrete_fields
            if f.attname not in ("id", "created_at", "home_unit_id")
        }
        fields["home_unit"] = m.home_unit.code if m.home_unit else None
        fields["placements"] = list(
            Placement.all_objects.filter(member=m)
            .order_by("start", "pk")
            .values_list("unit__code", "kind", "start", "end", "letter_number", "note")
        )
        fields["events"] = list(
            MemberEvent.all_objects.filter(member=m)
            .order_by("date", "pk")
            .values_list("kind", "date", "end_date", "reason", "decision_number", "note")
        )
        fields["periods"] = list(
            StatusPeriod.objects.filter(member=m)
            .order_by("valid_from")
            .values_list("status", "valid_from", "valid_to", "party_age_from")
        )
        fields["history"] = [
            list(
                model.history.model.objects.filter(**{key: m.pk})
                .order_by("history_id")
                .values_list("history_type", "history_user_id", "history_change_reason")
            )
            for model, key in (
                (Member, "id"),
                (Placement, "member_id"),
                (MemberEvent, "member_id"),
            )
        ]
        fields["history_rows"] = list(
            Member.history.model.objects.filter(id=m.pk).values_list(
                "code", "full_name", "gender", "birth_date", "phone", "national_id", "card_number"
            )
        )
        members[m.code] = fields
    kept = list(
        MemberCount.objects.order_by("unit__code", "valid_from").values_list(
            "unit__code",
            "valid_from",
            "valid_to",
            "probationary",
            "official",
            "exempt",
            "removed",
            "expelled",
            "withdrew",
            "deceased",
        )
    )
    events = list(
        AuditEvent.objects.order_by("pk").values_list("kind", "actor_id", "object_type", "facts")
    )
    return {"members": members, "kept": kept, "audit": events, "rows": snapshot()}


def verdicts(report) -> dict:
    return {
        s.key: [(r.number, r.status, r.record, r.changes, r.problems) for r in s.rows]
        for s in report.sheets
    }


def run(user, content: bytes, *, bulk: bool, commit: bool = True) -> tuple[dict, dict]:
    """Import, describe what it wrote, and undo it (so the other path starts alike)."""
    with transaction.atomic():
        job = import_commit if commit else import_preview
        report = job(actor=user, files=[("book.xlsx", content)], bulk=bulk)
        described = state()
        transaction.set_rollback(True)
    return verdicts(report), described


def test_batches_write_what_one_by_one_writes(world, cast):
    content = workbook(world, bad=False)
    one_by_one = run(cast.base_officer, content, bulk=False)
    batched = run(cast.base_officer, content, bulk=True)
    assert batched == one_by_one
    report, described = batched
    statuses = [status for _n, status, *_ in report["members"]]
    assert statuses.count(CREATE) == len(GOOD) and statuses.count(UPDATE) == 1
    assert {"B001", "B017", "B018"} <= set(described["members"])
    assert described["members"]["B003"]["periods"] == [
        ("official", dt.date(2010, 5, 19), None, dt.date(2010, 5, 19))
    ]


def test_batches_judge_every_row_as_one_by_one_does(world, cast):
    content = workbook(world, bad=True)
    before = snapshot()
    for commit in (False, True):
        one_by_one, _ = run(cast.base_officer, content, bulk=False, commit=commit)
        batched, _ = run(cast.base_officer, content, bulk=True, commit=commit)
        assert batched == one_by_one
        statuses = [status for _n, status, *_ in batched["members"]]
        assert statuses.count(ERROR) == len(BAD) and statuses.count(CREATE) == len(GOOD)
    report = import_commit(actor=cast.base_officer, files=[("book.xlsx", content)])
    assert not report.committed and snapshot() == before  # one error: nothing written


def clean_workbook(n: int) -> bytes:
    rows = [HEAD] + [
        row(f"N{i:04d}", "X01-CB01" if i % 2 else "X01-CB02", nid=f"0010850{i:05d}")
        for i in range(n)
    ]
    return xlsx({"Đảng viên": rows})


def test_new_members_cost_a_few_queries_whatever_their_number(world, cast):
    def queries(n: int) -> int:
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            report = import_commit(
                actor=cast.base_officer, files=[("b.xlsx", clean_workbook(n))], bulk=True
            )
            transaction.set_rollback(True)
        assert report.committed and report.counts()[CREATE] == n
        return len(captured)

    few, many = queries(10), queries(300)
    assert many <= few + 5, (few, many)  # one by one: some 45 queries a member


def test_a_refused_batch_goes_one_by_one(world, cast, monkeypatch):
    """The database refusing a batch (it should not) costs speed, not rows."""

    def refuse(**kwargs):
        raise IntegrityError("refused")

    monkeypatch.setattr(bulk, "member_create_many", refuse)
    report = import_commit(
        actor=cast.base_officer, files=[("b.xlsx", clean_workbook(4))], bulk=True
    )
    assert report.committed and report.counts()[CREATE] == 4
    assert Member.objects.filter(code__startswith="N").count() == 4
    assert Member.objects.get(code="N0001").official_on is None and Member.objects.get(
        code="N0001"
    ).admitted_on == dt.date(2010, 5, 19)


def test_a_batch_the_database_refuses_goes_one_by_one(world, cast, monkeypatch, caplog):
    """A record code taken after the batch checked it (here inside the batch, so it is
    undone with it): the database refuses the insert (PostgreSQL's COPY too, as an
    IntegrityError), the batch is rolled back and its rows are imported one by one."""
    from chibo.members.services import bulk as services_bulk
    from chibo.testing import factories as f

    real = services_bulk._write

    def racing(model, objs, now):
        if model is Member:
            f.member(world.cell2, code="N0002")
        real(model, objs, now)

    monkeypatch.setattr(services_bulk, "_write", racing)
    report = import_commit(
        actor=cast.base_officer, files=[("b.xlsx", clean_workbook(4))], bulk=True
    )
    assert "refused" in caplog.text
    assert report.committed and report.counts()[CREATE] == 4
    assert Member.objects.filter(code__startswith="N").count() == 4
