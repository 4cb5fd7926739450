"""The unit page's link to the unit's figures (chibo.org.hooks)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from chibo.org.hooks import LINKS, Link

LINKS.register(
    "reports.dashboard",
    Link(
        gettext_lazy("Figures and reports"),
        lambda unit: reverse("reports:dashboard", args=[unit.pk]),
        order=5,
    ),
)
