"""What party development tells people (chibo.notices): ceremonies and official reviews due."""

from django.utils.translation import gettext_lazy

from chibo.notices.kinds import notice_kind

CEREMONY_SOON = notice_kind(
    "ceremony_soon",
    gettext_lazy("Admission ceremony due soon"),
    gettext_lazy("The admission ceremony of %(member)s (%(cell)s) must be held by %(deadline)s."),
)
CEREMONY_OVERDUE = notice_kind(
    "ceremony_overdue",
    gettext_lazy("Admission ceremony overdue"),
    gettext_lazy(
        "Overdue: the admission ceremony of %(member)s (%(cell)s) was due by %(deadline)s."
    ),
)
PROBATION_ENDING = notice_kind(
    "probation_ending",
    gettext_lazy("Probation ending"),
    gettext_lazy(
        "The probation of %(member)s (%(cell)s) ends on %(day)s: prepare the cell's review "
        "for official membership."
    ),
)
REVIEW_OVERDUE = notice_kind(
    "review_overdue",
    gettext_lazy("Official membership review overdue"),
    gettext_lazy(
        "Overdue: the cell's review of %(member)s (%(cell)s) for official membership was due "
        "by %(deadline)s."
    ),
)
