from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BootstrapForm, DateField


class AssignForm(BootstrapForm):
    follower = forms.TypedChoiceField(label=_("Follower"), coerce=int)
    start = DateField(label=_("From"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follower"].choices = [
            (u.pk, f"{u.get_full_name() or u.username} ({u.username})") for u in people
        ]


class FinishForm(BootstrapForm):
    end = DateField(label=_("Until (not included)"))
