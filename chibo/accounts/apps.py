from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "chibo.accounts"
    label = "accounts"
    verbose_name = _("People and access")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import note_login

        user_logged_in.connect(note_login, dispatch_uid="chibo.accounts.note_login")
