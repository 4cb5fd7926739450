from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top floor: the root URLs and the API, home, trash and menu, the `chibo demo`
    command and the worker's daily job. It may import every app; none imports it."""

    name = "chibo.site"
    label = "site"
    verbose_name = _("Site")
