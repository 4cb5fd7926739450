from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "chibo.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import stamp_login

        # Session bookkeeping, not a write of the domain: what the new session owes for
        # two-step login (chibo.org.middleware).
        user_logged_in.connect(stamp_login, dispatch_uid="chibo.org.second_factor")
