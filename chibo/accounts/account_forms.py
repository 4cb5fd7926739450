"""Forms of a person's own account pages: the second factor and API tokens."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BootstrapForm


class CodeField(forms.CharField):
    """A 6-digit code from the app, or a recovery code (letters, digits and a dash)."""

    def __init__(self, *, recovery: bool = False, **kwargs):
        kwargs.setdefault("label", _("Code") if recovery else _("Code from the app"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                # A recovery code has letters: the numeric keypad only for the app's code.
                "inputmode": "text" if recovery else "numeric",
            }
        )


class LoginCodeForm(BootstrapForm):
    code = CodeField(
        recovery=True,
        help_text=_(
            "The 6 digits your authenticator app shows for Chibo, or one of your recovery "
            "codes if the phone is not at hand."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["autofocus"] = True


class EnrolForm(BootstrapForm):
    code = CodeField(help_text=_("The 6 digits the app shows after you add Chibo to it."))


class RecoveryRenewForm(BootstrapForm):
    code = CodeField()


class DisableForm(BootstrapForm):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = CodeField(recovery=True, help_text=_("From the app, or a recovery code."))


class TokenForm(BootstrapForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_(
            "What the token is for, to recognise it later: e.g. the monthly report script."
        ),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = self.fields["days"]
        days.initial = settings.CHIBO_TOKEN_DAYS
        # The limit is a setting, read when the form is made (not when the module is loaded).
        days.validators.append(MaxValueValidator(settings.CHIBO_TOKEN_MAX_DAYS))
        days.widget.attrs["max"] = settings.CHIBO_TOKEN_MAX_DAYS
        days.help_text = _("At most %(max)s days. The token stops working after that.") % {
            "max": settings.CHIBO_TOKEN_MAX_DAYS
        }
