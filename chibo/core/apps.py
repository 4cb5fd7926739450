from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CoreConfig(AppConfig):
    name = "chibo.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models import fields

        # Django 6.1's empty choice of a select ("- Select an option -") has no Vietnamese in
        # Django's own catalogue: say it in ours (Django's documented hook, an app's ready()).
        fields.BLANK_CHOICE_LABEL = gettext_lazy("- Select an option -")
