from django.urls import reverse

from chibo.accounts.models import Role, RoleGrant, User


def en(c):
    c.cookies["django_language"] = "en"
    return c


def test_office_grants_a_new_secretary_account(world, cast, client_for):
    c = client_for(cast.base_officer)
    assert c.get(reverse("members:unit_access", args=[world.cell.pk])).status_code == 200
    r = c.post(
        reverse("members:grant_create", args=[world.cell.pk]),
        {
            "username": "bithu2",
            "role": "secretary",
            "new_account": "on",
            "full_name": "Trần Thị Đào",
            "password": "Mua-xuan-2026!",
            "member_code": world.member2.code,
        },
    )
    # member2 lives in cell2, not in the cell; linking is allowed anywhere in the office's scope.
    assert r.status_code == 302, r.text
    user = User.objects.get(username="bithu2")
    assert (
        user.member_id == world.member2.pk
        and user.first_name == "Đào"
        and user.last_name == "Trần Thị"
    )
    assert RoleGrant.objects.filter(user=user, unit=world.cell, role=Role.SECRETARY).exists()
    assert client_for(user).get(reverse("org:unit", args=[world.cell.pk])).status_code == 200


def test_weak_password_and_duplicates_are_refused(world, cast, client_for):
    c = en(client_for(cast.base_officer))
    before = User.objects.count(), RoleGrant.objects.count()
    url = reverse("members:grant_create", args=[world.cell.pk])
    r = c.post(url, {"username": "x1", "role": "viewer", "new_account": "on", "password": "123"})
    assert r.status_code == 422 and "too short" in r.text
    r = c.post(
        url,
        {"username": "base", "role": "viewer", "new_account": "on", "password": "Mua-xuan-2026!"},
    )
    assert r.status_code == 422 and "That user name is taken" in r.text
    r = c.post(url, {"username": "nobody", "role": "viewer"})
    assert r.status_code == 422 and "No account with that user name" in r.text
    r = c.post(
        url, {"username": "x2", "role": "member", "new_account": "on", "password": "Mua-xuan-2026!"}
    )
    assert r.status_code == 422 and "needs an account linked to a member" in r.text
    assert (User.objects.count(), RoleGrant.objects.count()) == before


def test_secretary_may_only_grant_the_member_role(world, cast, client_for):
    c = en(client_for(cast.secretary))
    r = c.get(reverse("members:unit_access", args=[world.cell.pk]))
    assert r.status_code == 200 and 'value="office"' not in r.text
    r = c.post(
        reverse("members:grant_create", args=[world.cell.pk]),
        {"username": "viewer", "role": "office"},
    )
    assert r.status_code == 422
    assert not RoleGrant.objects.filter(user=cast.viewer, role="office").exists()


def test_access_pages_scope(world, cast, client_for):
    assert (
        client_for(cast.outsider)
        .get(reverse("members:unit_access", args=[world.cell.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(cast.viewer)
        .get(reverse("members:unit_access", args=[world.cell.pk]))
        .status_code
        == 403
    )
    assert (
        client_for(cast.viewer)
        .post(reverse("members:grant_create", args=[world.cell.pk]), {})
        .status_code
        == 403
    )
    grant = RoleGrant.objects.get(user=cast.secretary)
    assert (
        client_for(cast.outsider).post(reverse("members:grant_revoke", args=[grant.pk])).status_code
        == 404
    )
    assert (
        client_for(cast.viewer).post(reverse("members:grant_revoke", args=[grant.pk])).status_code
        == 403
    )
    assert (
        client_for(cast.base_officer)
        .get(reverse("members:grant_revoke", args=[grant.pk]))
        .status_code
        == 405
    )
    assert (
        client_for(cast.base_officer)
        .post(reverse("members:grant_revoke", args=[grant.pk]))
        .status_code
        == 302
    )
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert RoleGrant.history.filter(id=grant.pk, history_type="-").count() == 1


def test_password_change_uses_validators(world, cast, client_for):
    from chibo.testing.factories import PASSWORD

    c = en(client_for(cast.member))
    r = c.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert r.status_code == 200 and "entirely numeric" in r.text
    r = c.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Hoa-sen-2026!",
            "new_password2": "Hoa-sen-2026!",
        },
    )
    assert r.status_code == 302
