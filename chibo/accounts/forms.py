from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BootstrapForm, style_fields

from .models import Role


class GrantForm(BootstrapForm):
    """Grant a role to an existing account, or create the account at the same time."""

    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    new_account = forms.BooleanField(label=_("Create this account"), required=False)
    full_name = forms.CharField(label=_("Full name (new account)"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Initial password (new account)"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
    )
    member_code = forms.CharField(
        label=_("Member record code (to link the account)"), max_length=32, required=False
    )

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in roles]

    def clean(self):
        data = super().clean()
        if data.get("new_account") and not data.get("password"):
            self.add_error("password", _("A new account needs an initial password."))
        return data


class StyledAuthenticationForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class StyledPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
