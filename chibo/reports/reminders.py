"""What the reports tell people in the notification centre (chibo.notices): a report file the
worker built for them is ready to download, or could not be built."""

from django.utils.translation import gettext_lazy

from chibo.notices.kinds import notice_kind

REPORT_FILE_READY = notice_kind(
    "report_file_ready",
    gettext_lazy("Report file ready"),
    gettext_lazy("Your %(format)s report of %(unit)s from %(start)s to %(end)s is ready."),
)
REPORT_FILE_FAILED = notice_kind(
    "report_file_failed",
    gettext_lazy("Report file failed"),
    gettext_lazy(
        "Your %(format)s report of %(unit)s from %(start)s to %(end)s could not be built: %(error)s"
    ),
)
