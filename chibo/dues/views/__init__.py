"""The dues pages: a cell's month (who paid, one tap to record a payment), a member's
ledger (basis, waivers, months), a unit's figures and arrears, and the payment statement's
upload. Each: the access helper, the form, the service, render or redirect."""

from .cell import cell_month, cell_pay, cell_post
from .member import (
    member_basis,
    member_ledger,
    member_pay,
    member_waiver,
    payment_delete,
    waiver_delete,
)
from .unit import statement, unit_dues

__all__ = [
    "cell_month",
    "cell_pay",
    "cell_post",
    "member_basis",
    "member_ledger",
    "member_pay",
    "member_waiver",
    "payment_delete",
    "statement",
    "unit_dues",
    "waiver_delete",
]
