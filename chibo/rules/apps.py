from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from .memo import forget


def _forget(sender, **kwargs) -> None:
    forget()


class RulesConfig(AppConfig):
    name = "chibo.rules"
    label = "rules"
    verbose_name = _("Party rules")

    def ready(self) -> None:
        from .models import DayChange, RuleVersion

        # A version or working-day change written inside a `memo.remembered` block (by a
        # service or straight through the ORM) is read afresh afterwards.
        for model in (RuleVersion, DayChange):
            for signal in (post_save, post_delete):
                signal.connect(_forget, sender=model, dispatch_uid=f"rules.forget.{model.__name__}")
