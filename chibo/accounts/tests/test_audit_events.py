"""Accounts, roles and tokens: each write records one audit event about the account. The
login throttle's bookkeeping records none."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from chibo.accounts import services
from chibo.accounts.models import ApiToken, Role, RoleGrant
from chibo.core import audit
from chibo.core.models import AuditEvent
from chibo.testing.audited import check, no_event, one_event

PASSWORD = "Một-mật-khẩu-dài-2026"


def english(event: AuditEvent) -> str:
    with translation.override("en"):
        return audit.sentence(event)


def test_an_account_and_its_role_granted_then_revoked(world, cast):
    officer = cast.base_officer
    with one_event() as got:
        user = services.account_create(
            actor=officer, username="bithu.dong", password=PASSWORD, member=world.member2
        )
    check(got.event, services.ACCOUNT_CREATED, actor=officer, obj=user, about=user)
    assert english(got.event) == "Account bithu.dong created"
    assert PASSWORD not in str(got.event.facts)

    with one_event() as got:
        grant = services.grant_create(
            actor=officer, user=user, unit=world.cell2, role=Role.SECRETARY
        )
    check(
        got.event,
        services.ROLE_GRANTED,
        actor=officer,
        obj=grant,
        about=user,
        role={"t": "Cell secretary (read and write the cell)"},
        unit="Chi bộ trường Tiểu học",
        username="bithu.dong",
    )
    assert english(got.event) == (
        "Role Cell secretary (read and write the cell) on Chi bộ trường Tiểu học granted to "
        "bithu.dong"
    )

    pk = grant.pk
    with one_event() as got:
        services.grant_revoke(actor=officer, grant=grant)
    assert not RoleGrant.objects.filter(pk=pk).exists()
    assert (got.event.kind, got.event.object_id, got.event.about_id) == (
        services.ROLE_REVOKED,
        pk,
        user.pk,
    )
    assert english(got.event) == (
        "Role Cell secretary (read and write the cell) on Chi bộ trường Tiểu học revoked from "
        "bithu.dong"
    )


def test_refused_account_writes_record_nothing(world, cast):
    officer = cast.base_officer
    with no_event(), pytest.raises(ValidationError):
        services.account_create(actor=officer, username="BASE", password=PASSWORD)  # taken
    with no_event(), pytest.raises(ValidationError):
        services.grant_create(actor=officer, user=cast.viewer, unit=world.base, role=Role.VIEWER)
    own = cast.base_officer.grants.get()
    with no_event(), pytest.raises(ValidationError):
        services.grant_revoke(actor=officer, grant=own)


def test_a_token_issued_is_one_event_without_the_token(cast):
    with one_event() as got:
        raw = services.token_issue(actor=None, user=cast.viewer, name="Báo cáo tháng")
    token = ApiToken.objects.get(user=cast.viewer)
    check(
        got.event,
        services.TOKEN_ISSUED,
        actor=None,
        obj=token,
        about=cast.viewer,
        name="Báo cáo tháng",
        username="viewer",
    )
    assert raw not in str(got.event.facts) and token.digest not in str(got.event.facts)
    assert english(got.event) == "API token Báo cáo tháng issued to viewer"


def test_the_login_throttle_records_no_event(db):
    with no_event():
        attempt = services.Attempt(username="someone", address="10.0.0.1")
        services.login_failed(attempt)
        services.login_succeeded(attempt)
