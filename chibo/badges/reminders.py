"""What Party badges tell people (chibo.notices): the badge list of the next occasion."""

from django.utils.translation import gettext_lazy

from chibo.notices.kinds import notice_kind

BADGES_DUE = notice_kind(
    "badges_due",
    gettext_lazy("Party badges due on the next occasion"),
    gettext_lazy(
        "Party badges, %(occasion)s (%(day)s): members of %(unit)s due: %(count)s. Check the "
        "list and propose the decision."
    ),
)
