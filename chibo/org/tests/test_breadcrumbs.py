"""Breadcrumbs link only what the reader can open: no crumb leads to a 404 or 403 page."""

import re

import pytest
from django.urls import reverse


def crumbs(html: str) -> str:
    m = re.search(r'<ol class="breadcrumb.*?</ol>', html, re.S)
    assert m, "no breadcrumbs on the page"
    return m.group(0)


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', crumbs(html))


@pytest.mark.parametrize("page", ["cell", "member"])
def test_secretary_crumbs_show_commune_and_province_as_text(world, cast, client_for, page):
    c = client_for(cast.secretary)
    url = (
        reverse("org:unit", args=[world.cell.pk])
        if page == "cell"
        else reverse("members:detail", args=[world.member.pk])
    )
    r = c.get(url)
    assert r.status_code == 200
    trail = crumbs(r.text)
    # The commune and the province are named, not linked.
    assert world.base.name in trail and world.province.name in trail
    assert reverse("org:unit", args=[world.base.pk]) not in trail
    assert reverse("org:unit", args=[world.province.pk]) not in trail
    # Every link that is left opens for the secretary.
    assert links(r.text)
    for href in links(r.text):
        assert c.get(href).status_code == 200, href


def test_secretary_crumbs_link_the_cell_from_a_member(world, cast, client_for):
    r = client_for(cast.secretary).get(reverse("members:detail", args=[world.member.pk]))
    assert reverse("org:unit", args=[world.cell.pk]) in links(r.text)


def test_province_office_crumbs_link_every_ancestor(world, cast, client_for):
    r = client_for(cast.province_officer).get(reverse("org:unit", args=[world.cell.pk]))
    hrefs = links(r.text)
    assert reverse("org:unit", args=[world.base.pk]) in hrefs
    assert reverse("org:unit", args=[world.province.pk]) in hrefs
    assert reverse("org:tree") in hrefs


def test_base_office_crumbs_stop_at_its_commune(world, cast, client_for):
    c = client_for(cast.base_officer)
    r = c.get(reverse("org:unit", args=[world.cell.pk]))
    hrefs = links(r.text)
    assert reverse("org:unit", args=[world.base.pk]) in hrefs
    assert reverse("org:unit", args=[world.province.pk]) not in hrefs
    for href in hrefs:
        assert c.get(href).status_code == 200, href
