"""Time-based one-time passwords (RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits), the
codes that authenticator apps (Google Authenticator, Microsoft Authenticator, FreeOTP...)
show, and the QR code that hands an app the secret. No state here: which steps were already
used is the second factor's record (accounts.second_factor)."""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

import segno

STEP_SECONDS = 30
DIGITS = 6
# A phone's clock a little off, or a code typed as it turns: the step before and after count.
DRIFT_STEPS = 1


def new_secret() -> str:
    """A random 160-bit secret (RFC 4226's recommended length), in base32 as apps take it."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """RFC 4226's HOTP of `counter`, with the dynamic truncation of its section 5.3."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_at(at: float) -> int:
    return int(at // STEP_SECONDS)


def code_at(secret: str, at: float) -> str:
    """The code an app shows at Unix time `at` for `secret`."""
    return hotp(_key(secret), step_at(at))


def matching_step(secret: str, code: str, *, at: float | None = None) -> int | None:
    """The time step whose code `code` is (within the allowed drift of `at`, now by default),
    or None. The caller refuses a step it has already accepted (a code works once)."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(time.time() if at is None else at)
    key = _key(secret)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        # Compare in constant time: the response time says nothing about the digits.
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// address an app reads from the QR code (Key Uri Format)."""
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS})
    return f"otpauth://totp/{label}?{query}&period={STEP_SECONDS}"


def qr_svg(text: str) -> str:
    """`text` as a QR code, an inline <svg> element (no XML declaration), scaled by CSS."""
    qr = segno.make(text, error="m")
    return qr.svg_inline(scale=4, border=2, dark="#000", light="#fff", svgclass="totp-qr")


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# Recovery codes --------------------------------------------------------------------------------

RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def new_recovery_code() -> str:
    """A single-use code like `k7m2p-x9qra` (about 49 bits)."""
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{chars[:5]}-{chars[5:]}"


def recovery_digest(code: str) -> str:
    """What is stored of a recovery code: its SHA-256, of the code without spaces, dashes or
    case, so `K7M2P X9QRA` matches."""
    cleaned = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(cleaned.encode()).hexdigest()
