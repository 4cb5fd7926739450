import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.models import ApiToken, User
from chibo.accounts.services import token_issue
from chibo.core import formats


class Command(BaseCommand):
    help = (
        "Print a new API bearer token for USERNAME (shown once; only its hash is kept), valid "
        "for CHIBO_TOKEN_DAYS days unless --days or --expires says otherwise; or with --revoke, "
        "revoke all of that user's tokens. A person also manages their own tokens on their "
        "account page."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--name", default="", help="A label to remember the token by (default: command line)."
        )
        expiry = parser.add_mutually_exclusive_group()
        expiry.add_argument("--days", type=int, help="Days the token lasts.")
        expiry.add_argument("--expires", help="The last day the token works, dd/mm/yyyy.")
        parser.add_argument("--revoke", action="store_true", help="Revoke the user's tokens.")

    def handle(self, *args, username, name, days, expires, revoke, **options):
        user = User.objects.filter(username=username).first()
        if revoke:
            if user is None:
                raise CommandError(_("No user named %(name)s.") % {"name": username})
            n, _details = ApiToken.objects.filter(user=user).delete()
            self.stdout.write(_("%(n)s token(s) revoked.") % {"n": n})
            return
        if user is None or not user.is_active:
            raise CommandError(_("No active user named %(name)s.") % {"name": username})
        not_after = None
        if expires:
            try:
                last_day = formats.parse_date(expires)
            except formats.ParseError as e:
                raise CommandError(str(e)) from None
            # Through the whole of the last day, Vietnam time.
            days = (last_day - timezone.localdate()).days + 1
            not_after = timezone.make_aware(
                dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time())
            )
        try:
            # Run from the shell by an administrator: no account does it.
            raw = token_issue(
                actor=None,
                user=user,
                name=name or _("command line"),
                days=days if days is not None else settings.CHIBO_TOKEN_DAYS,
                not_after=not_after,
            )
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        self.stdout.write(raw)
        token = ApiToken.objects.get(digest=ApiToken.hash(raw))
        self.stderr.write(
            _("Expires on %(date)s.") % {"date": formats.date(timezone.localtime(token.expires_at))}
        )
