"""What an import tells its uploader in the notification centre: a large file is previewed
and imported by the worker, and the page that showed its progress may have been closed."""

from django.utils.translation import gettext_lazy

from chibo.notices.kinds import notice_kind

IMPORT_CHECKED = notice_kind(
    "import_checked",
    gettext_lazy("Import checked"),
    gettext_lazy(
        "%(file)s has been checked: %(create)s to create, %(update)s to update, "
        "%(unchanged)s unchanged, %(error)s errors."
    ),
)
IMPORT_DONE = notice_kind(
    "import_done",
    gettext_lazy("Import done"),
    gettext_lazy(
        "%(file)s has been imported: %(create)s created, %(update)s updated, "
        "%(unchanged)s unchanged."
    ),
)
IMPORT_REFUSED = notice_kind(
    "import_refused",
    gettext_lazy("Import refused"),
    gettext_lazy(
        "%(file)s was not imported: %(error)s rows have errors now (the data changed since "
        "the preview). Nothing was written."
    ),
)
IMPORT_FAILED = notice_kind(
    "import_failed",
    gettext_lazy("Import failed"),
    gettext_lazy(
        "%(file)s could not be imported: an unexpected error stopped the work. Nothing was written."
    ),
)
