"""The demo's summary line writes its numbers the Vietnamese way, as every page does."""

from chibo.demo.generate import Summary


def test_summary_numbers_in_vietnamese_format():
    text = str(Summary(lines=["2.000 members"], rows=67146, seconds=65.84))
    assert text == "2.000 members; 67.146 rows written in 65,8 s"
