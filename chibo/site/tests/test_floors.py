"""The floor plan (pyproject.toml, lint-imports) holds on the code, and a wrong import breaks
it: checked on a copy of the package with one bad import added, so the real tree is never
touched. Imports inside functions count too."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.slow  # lint-imports runs on a copy of the package, seven times


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    if not LINT.exists():
        pytest.skip("lint-imports is not installed (make test installs it)")
    copy = tmp_path_factory.mktemp("floors")
    shutil.copytree(
        ROOT / "chibo",
        copy / "chibo",
        ignore=shutil.ignore_patterns("__pycache__", "static", "locale", "templates"),
    )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


@pytest.mark.parametrize(
    ("where", "code", "broken"),
    [
        # the kernel imports no Chibo app
        ("core/bad.py", "from chibo.members import models\n", "chibo.core is not allowed"),
        # a lower floor does not import a higher one, even inside a function
        (
            "members/bad.py",
            "def f():\n    from chibo.meetings import models\n",
            "chibo.members is not allowed to import chibo.meetings",
        ),
        # two apps of one floor do not import each other
        ("badges/bad.py", "import chibo.development.models\n", "chibo.badges is not allowed"),
    ],
)
def test_a_wrong_import_breaks_the_floors(tree, where, code, broken):
    assert lint(tree).returncode == 0  # the copy holds, as the real tree does
    bad = tree / "chibo" / where
    bad.write_text(code)
    try:
        result = lint(tree)
    finally:
        bad.unlink()
    assert result.returncode == 1 and broken in result.stdout, result.stdout


def test_two_modules_of_an_app_importing_each_other_break_the_plan(tree):
    first, second = tree / "chibo/notices/zz_one.py", tree / "chibo/notices/zz_two.py"
    first.write_text("from . import zz_two\n")
    second.write_text("def f():\n    from . import zz_one\n")
    try:
        result = lint(tree)
    finally:
        first.unlink()
        second.unlink()
    assert result.returncode == 1 and "No cycles are allowed in chibo.notices" in result.stdout
