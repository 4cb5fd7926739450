"""People who log in, the roles they hold on units, API tokens, and the audit of reads."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """An account for a person; optionally the member that person is."""

    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("member record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        """The name records print for this person (adopted by, confirmed by, amended by, who
        did what): the linked member's full name, else the account's full name, else the
        login. Templates: {{ user|person }}."""
        member = self.member
        if member is not None and member.full_name.strip():
            return member.full_name.strip()
        return self.get_full_name().strip() or self.username


class Role(models.TextChoices):
    OFFICE = "office", _("Office (read and write the subtree)")
    VIEWER = "viewer", _("Viewer (read the subtree)")
    SECRETARY = "secretary", _("Cell secretary (read and write the cell)")
    MEMBER = "member", _("Member (own record and own cell's schedule)")


READ_ROLES = {Role.OFFICE, Role.VIEWER, Role.SECRETARY}
WRITE_ROLES = {Role.OFFICE, Role.SECRETARY}


class RoleGrant(models.Model):
    """A role held on a unit; it applies to the unit and everything below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.unit.code}"


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Refused by the API from this moment (CHIBO_TOKEN_DAYS after issue unless asked otherwise).
    expires_at = models.DateTimeField(_("expires at"))

    PREFIX = "chibo_"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(
        cls, user: User, name: str = "", *, expires_at: dt.datetime | None = None
    ) -> tuple["ApiToken", str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        if expires_at is None:
            expires_at = timezone.now() + dt.timedelta(days=settings.CHIBO_TOKEN_DAYS)
        token = cls.objects.create(
            user=user, name=name, digest=cls.hash(raw), expires_at=expires_at
        )
        return token, raw

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class LoginPage(models.TextChoices):
    CHIBO = "chibo", _("Chibo")
    ADMIN = "admin", _("Administration site")


class LoginFailure(models.Model):
    """A wrong password (đăng nhập sai), kept for the throttle (accounts.services) and as the
    record of who tried what from where. The delay before the next try grows with the
    failures of one user name from one address, or from one trusted browser (`device`); a
    success clears that pair's failures (`cleared`) but keeps them on record."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True)
    # The browser's id when it carried a device cookie for this user name (it logged in as
    # them before): its failures count apart from its address's.
    device = models.CharField(max_length=32, blank=True)
    page = models.CharField(max_length=10, choices=LoginPage.choices, default=LoginPage.CHIBO)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    cleared = models.BooleanField(default=False)  # the pair logged in since
    refused = models.PositiveIntegerField(default=0)  # tries refused unchecked after this one
    alerted = models.BooleanField(default=False)  # this failure crossed the alert threshold

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        indexes = [
            models.Index(fields=["username", "at"], name="loginfailure_user_at"),
            models.Index(fields=["address", "at"], name="loginfailure_address_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.address}"


class ResetRequest(models.Model):
    """A password-reset e-mail asked for, counted per address and per e-mail address so
    that the form cannot be used to flood an inbox."""

    address = models.GenericIPAddressField(null=True)
    email = models.CharField(max_length=254)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["address", "at"], name="resetrequest_address_at"),
            models.Index(fields=["email", "at"], name="resetrequest_email_at"),
        ]


class RecordRead(models.Model):
    """A read of a member's full record by someone outside the member's own cell."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="reads")
    channel = models.CharField(max_length=10)  # "page" or "api"
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]


class SecondFactor(models.Model):
    """A person's authenticator app (xác thực hai bước): the TOTP secret it shares with Chibo
    (accounts.totp). The secret must be read to check a code, so it is kept as it is, like
    the session keys: the database and its backups are secrets (docs/deploy.md)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField()
    # The time step of the last code accepted: a code, once used, is refused (RFC 6238 5.2).
    last_step = models.BigIntegerField(default=0)


class RecoveryCode(models.Model):
    """A single-use code that stands in for the app (a lost phone); only its hash is kept."""

    factor = models.ForeignKey(SecondFactor, on_delete=models.CASCADE, related_name="recovery")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["factor", "digest"], name="recovery_code_unique")
        ]
