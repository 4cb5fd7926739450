"""The tree's own link on the unit page (chibo.org.hooks): two-step login for its offices."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import hooks
from .second_factor import may_set_rule

hooks.LINKS.register(
    "org.second_factor",
    hooks.Link(
        label=_("Two-step login"),
        url=lambda unit: (
            None if unit.holds_members else reverse("org:second_factor_rule", args=[unit.pk])
        ),
        group="actions",
        order=900,
        allowed=lambda request, unit: may_set_rule(request.user, unit),
    ),
)
