"""The hub puts the domains' lists together, each with its cell names."""

import datetime as dt

from chibo.testing.deadlines import probationary

from ..queries import deadline_board

D = dt.date


def test_board_gathers_the_lists_with_cell_names(world):
    a = probationary(world.cell, D(2026, 2, 2))
    b = probationary(world.cell2, D(2025, 2, 3), D(2025, 3, 2))
    board = deadline_board(world.base, D(2026, 4, 14)).values()
    assert [(r.member_id, r.cell_name, r.overdue) for r in board["ceremonies"]] == [
        (a.pk, "Chi bộ thôn Đông", True)
    ]
    assert [(r.member_id, r.cell_name, r.overdue) for r in board["reviews"]] == [
        (b.pk, "Chi bộ trường Tiểu học", True)
    ]
    assert board["probations"] == [] and board["decisions"] == [] and board["tasks"] == []
