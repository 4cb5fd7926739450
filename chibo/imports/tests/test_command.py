"""`chibo import FILE... [--dry-run] [--user USERNAME]`."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chibo.members.models import Member
from chibo.org.models import OrgUnit
from chibo.testing.workbooks import (
    MEMBER_HEAD,
    UNIT_HEAD,
    VALID_ADDS,
    added,
    counts,
    csv_bytes,
    snapshot,
    valid_sheets,
    xlsx,
)


@pytest.fixture
def workbook(tmp_path):
    def write(sheets, name="book.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(sheets))
        return str(path)

    return write


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_as_a_user(world, cast, workbook):
    before = counts()
    out, err = run(workbook(valid_sheets()), "--user", "base")
    assert added(before, counts()) == VALID_ADDS
    assert out.strip() == "Imported: 10 created, 0 updated, 0 unchanged."
    assert err == ""
    # History names who imported, even outside a web request.
    lan = Member.objects.get(code="IMP001")
    assert lan.history.first().history_user == cast.base_officer


def test_errors_print_sheet_row_column_and_write_nothing(world, cast, workbook):
    data = valid_sheets()
    data["Đảng viên"][2][5] = "X02-CB01"  # the other base's cell: out of scope
    before = snapshot()
    with pytest.raises(CommandError) as e:
        run(workbook(data), "--user", "base")
    assert e.value.returncode == 1
    assert snapshot() == before


def test_error_lines(world, cast, workbook):
    data = {"Đảng viên": [MEMBER_HEAD, ["IMP1", "A", "Nam", "x", "", "ZZ", "01/01/2010", ""]]}
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", workbook(data), "--user", "base", stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "book.xlsx › Đảng viên, row 2, Ngày sinh: “x” is not a date; write it as dd/mm/yyyy."
    ]


def test_dry_run_writes_nothing_and_exits_non_zero(world, cast, workbook):
    before = snapshot()
    out = io.StringIO()
    with pytest.raises(CommandError) as e:
        call_command("import", workbook(valid_sheets()), "--dry-run", "--user", "base", stdout=out)
    assert e.value.returncode == 2
    assert "Dry run" in str(e.value)
    assert out.getvalue().strip() == "10 to create, 0 to update, 0 unchanged, 0 errors."
    assert snapshot() == before


def test_several_csv_files(world, cast, tmp_path):
    units = tmp_path / "units.csv"
    units.write_bytes(
        b"\xef\xbb\xbf" + csv_bytes([UNIT_HEAD, ["X01-CB05", "Chi bộ 5", "Chi bộ", "X01", "Y tế"]])
    )
    members = tmp_path / "members.csv"
    row = ["IMP050", "Hà Văn Năm", "Nam", "02/09/1975", "", "X01-CB05", "03/02/2000", ""]
    members.write_bytes(csv_bytes([MEMBER_HEAD, row], delimiter=";"))
    run(str(units), str(members), "--user", "base")
    assert Member.objects.get(code="IMP050").home_unit.code == "X01-CB05"
    assert OrgUnit.objects.get(code="X01-CB05").cell_type == "health"


def test_without_user_the_operator_has_the_whole_tree(world, workbook):
    rows = [UNIT_HEAD, ["T02", "Đảng bộ tỉnh Hai", "Đảng bộ tỉnh", "", ""]]
    run(workbook({"Đơn vị": rows}))
    assert OrgUnit.objects.get(code="T02").parent is None


def test_user_without_write_role_is_refused(world, cast, workbook):
    with pytest.raises(CommandError, match="holds no role that may write"):
        run(workbook(valid_sheets()), "--user", "viewer")
    with pytest.raises(CommandError, match="No active user named nobody"):
        run(workbook(valid_sheets()), "--user", "nobody")


def test_missing_file(world, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.xlsx"))


def test_progress_lines(world, cast, workbook):
    """In the foreground still, with a progress line (every tenth, in a log)."""
    before = counts()
    err = io.StringIO()
    call_command("import", workbook(valid_sheets()), "--progress", stdout=io.StringIO(), stderr=err)
    assert added(before, counts()) == VALID_ADDS
    lines = err.getvalue().splitlines()
    assert lines[0] == "Importing: 10%" and lines[-1].startswith("Importing: 9")
    percents = [int(line.removeprefix("Importing: ").rstrip("%")) for line in lines]
    assert percents == sorted(percents) and len({p // 10 for p in percents}) == len(percents)
