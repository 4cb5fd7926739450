from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.accounts.services import token_issue


class Command(BaseCommand):
    help = "Print a new API bearer token for USERNAME (shown once; only its hash is kept)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="A label to remember the token by.")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user named %(name)s.") % {"name": username})
        self.stdout.write(token_issue(user=user, name=name))
