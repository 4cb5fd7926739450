from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowConfig(AppConfig):
    name = "chibo.follow"
    verbose_name = _("Superior followers")
