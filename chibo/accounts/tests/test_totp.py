"""accounts.totp against the test vectors of RFC 6238 (appendix B) and RFC 4226 (appendix D)."""

import base64

import pytest

from chibo.accounts import totp

# RFC 6238's SHA-1 seed, "12345678901234567890", in base32 as apps take it.
SEED = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("at", "eight_digits"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc6238_sha1_vectors(at, eight_digits):
    key = base64.b32decode(SEED)
    assert totp.hotp(key, totp.step_at(at), digits=8) == eight_digits
    # Six digits, as apps show them: the same number's last six.
    assert totp.code_at(SEED, at) == eight_digits[-6:]


def test_rfc4226_hotp_vectors():
    expected = ["755224", "287082", "359152", "969429", "338314"]
    assert [totp.hotp(b"12345678901234567890", c) for c in range(5)] == expected


def test_a_code_is_accepted_one_step_either_side_and_no_further():
    secret = totp.new_secret()
    now = 1_800_000_015.0
    step = totp.step_at(now)
    for delta, accepted in [(-2, False), (-1, True), (0, True), (1, True), (2, False)]:
        code = totp.code_at(secret, now + delta * totp.STEP_SECONDS)
        found = totp.matching_step(secret, code, at=now)
        assert (found == step + delta) if accepted else found is None, delta


def test_what_is_not_a_code():
    secret = totp.new_secret()
    for text in ["", "12345", "1234567", "abcdef", "12 34 5x"]:
        assert totp.matching_step(secret, text) is None
    # Spaces typed between the digits are fine.
    code = totp.code_at(secret, 1_800_000_000)
    assert totp.matching_step(secret, f"{code[:3]} {code[3:]}", at=1_800_000_000) is not None


def test_secret_uri_and_qr():
    secret = totp.new_secret()
    assert len(secret) == 32 and len(base64.b32decode(secret)) == 20
    uri = totp.provisioning_uri(secret, account="bí thư", issuer="Chibo")
    assert uri.startswith("otpauth://totp/Chibo%3Ab%C3%AD%20th%C6%B0?secret=" + secret)
    assert "period=30" in uri and "digits=6" in uri
    svg = totp.qr_svg(uri)
    assert svg.startswith("<svg") and "<script" not in svg and "<?xml" not in svg


def test_recovery_codes_are_random_and_hashed_loosely():
    codes = {totp.new_recovery_code() for _ in range(50)}
    assert len(codes) == 50
    code = codes.pop()
    assert len(code) == 11 and code[5] == "-"
    assert totp.recovery_digest(code) == totp.recovery_digest(code.upper().replace("-", " "))
