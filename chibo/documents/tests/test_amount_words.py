"""Amounts in Vietnamese words, as receipts write them."""

import pytest

from chibo.documents.amount_words import amount_in_words, number_in_words


def test_the_receipt_example():
    assert amount_in_words(1_250_000) == "Một triệu hai trăm năm mươi nghìn đồng"


@pytest.mark.parametrize(
    "n, words",
    [
        (0, "không"),
        (1, "một"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi bốn"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1_000, "một nghìn"),
        (1_005, "một nghìn không trăm linh năm"),
        (1_050, "một nghìn không trăm năm mươi"),
        (5_000, "năm nghìn"),
        (10_000, "mười nghìn"),
        (15_500, "mười lăm nghìn năm trăm"),
        (100_000, "một trăm nghìn"),
        (1_000_000, "một triệu"),
        (1_000_050, "một triệu không trăm năm mươi"),
        (1_001_000, "một triệu không trăm linh một nghìn"),
        (2_035_500, "hai triệu không trăm ba mươi lăm nghìn năm trăm"),
        (1_000_000_000, "một tỷ"),
        (1_005_000_000, "một tỷ không trăm linh năm triệu"),
        (2_000_000_001, "hai tỷ không trăm linh một"),
        (1_000_000_000_000, "một nghìn tỷ"),
        (
            999_999_999_999,
            "chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu "
            "chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
        ),
    ],
)
def test_numbers(n, words):
    assert number_in_words(n) == words


def test_amounts_are_capitalised_with_the_currency():
    assert amount_in_words(0) == "Không đồng"
    assert amount_in_words(5_000) == "Năm nghìn đồng"
    assert amount_in_words(21_000) == "Hai mươi mốt nghìn đồng"


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError):
        number_in_words(-1)
