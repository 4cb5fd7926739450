from chibo.testing.api import call


def test_status_filter_on_a_past_date(world, cast, client_for):
    c = client_for(cast.base_officer)
    r = call(c, "GET", "/members?status=official&on=2012-01-01")
    assert r.status_code == 200, r.content
    r2 = call(c, "GET", "/members?status=probationary&on=2015-06-01")
    assert r2.status_code == 200, r2.content
    names = {i["full_name"] for i in r2.json()["items"]}
    assert "Nguyễn Văn Hùng" in names  # admitted 02/03/2015, official a year later
    assert {i["status"] for i in r2.json()["items"]} == {"official"}  # shown as of today
