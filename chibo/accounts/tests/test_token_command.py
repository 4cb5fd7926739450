import pytest
from django.core.management import CommandError, call_command

from chibo.accounts.models import ApiToken


def test_token_is_issued_hashed_and_revoked(world, cast, capsys, client):
    call_command("token", "base")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("chibo_") and ApiToken.objects.filter(user=cast.base_officer).count() == 1
    assert not ApiToken.objects.filter(digest=raw).exists()  # only the hash is kept
    r = client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 200
    call_command("token", "base", "--revoke")
    assert ApiToken.objects.filter(user=cast.base_officer).count() == 0
    assert client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    with pytest.raises(CommandError):
        call_command("token", "nobody")
