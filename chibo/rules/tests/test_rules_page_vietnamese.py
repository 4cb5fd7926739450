"""The rules page in Vietnamese: every value with its unit, the keys of a map by their names,
and the regulations named in Vietnamese."""

import re


def test_rules_page_speaks_vietnamese(cast, client_for):
    c = client_for(cast.viewer)
    c.cookies["django_language"] = "vi"
    html = c.get("/rules/?on=01/07/2025").content.decode()
    values = " | ".join(re.findall(r'class="rule-value">(.*?)</td>', html, re.S))
    assert "Chuẩn bị: 15 điểm; Dự họp: 20 điểm; Tiến hành sinh hoạt: 45 điểm" in values
    assert "Khiển trách: 6 tháng; Cảnh cáo: 9 tháng; Cách chức: 12 tháng" in values
    assert "30 năm tuổi đảng: 12 tháng" in values
    assert "12 tháng" in values and "30 ngày làm việc" in values  # units after the numbers
    for key in ("preparation", "attendance", "reprimand", "dismissal"):
        assert key not in values, key
    assert not re.search(r"\w=\d", values)  # the form's syntax (key=number) is not shown
    assert "and its guidance" not in html and "the common provincial scoring" not in html
    assert "Điều lệ Đảng (2011) và hướng dẫn về kết nạp đảng viên" in html


def test_rules_page_in_english_names_the_keys_in_english(cast, client_for):
    c = client_for(cast.viewer)
    c.cookies["django_language"] = "en"
    html = c.get("/rules/?on=01/07/2025").content.decode()
    assert "Preparation: 15 points" in html and "Reprimand: 6 months" in html
