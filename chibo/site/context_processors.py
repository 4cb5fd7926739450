from functools import cache

from chibo.notices.services import unread_count
from chibo.org.scope import is_staff_anywhere, is_writer_anywhere


def navigation(request):
    """What the menu offers: lists for people with a unit role, import and trash for writers,
    the unread notifications. Each is asked of the database once, and only when a template
    shows it: an HTMX partial that shows no menu costs no query for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Templates call a callable they are given; cache() answers the later calls.
    return {
        "nav_staff": cache(lambda: is_staff_anywhere(user)),
        "nav_writer": cache(lambda: is_writer_anywhere(user)),
        "nav_unread": cache(lambda: unread_count(user)),
    }
