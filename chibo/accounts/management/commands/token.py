from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chibo.accounts.models import ApiToken, User
from chibo.accounts.services import token_issue


class Command(BaseCommand):
    help = (
        "Print a new API bearer token for USERNAME (shown once; only its hash is kept), "
        "or with --revoke, revoke all of that user's tokens."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="A label to remember the token by.")
        parser.add_argument("--revoke", action="store_true", help="Revoke the user's tokens.")

    def handle(self, *args, username, name, revoke, **options):
        user = User.objects.filter(username=username).first()
        if revoke:
            if user is None:
                raise CommandError(_("No user named %(name)s.") % {"name": username})
            n, _details = ApiToken.objects.filter(user=user).delete()
            self.stdout.write(_("%(n)s token(s) revoked.") % {"n": n})
            return
        if user is None or not user.is_active:
            raise CommandError(_("No active user named %(name)s.") % {"name": username})
        # Run from the shell by an administrator: no account does it.
        self.stdout.write(token_issue(actor=None, user=user, name=name))
