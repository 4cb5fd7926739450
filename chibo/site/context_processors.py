from chibo.org.scope import is_staff_anywhere, is_writer_anywhere


def navigation(request):
    """What the menu offers: lists for people with a unit role, import and trash for writers."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from chibo.notices.services import unread_count

    return {
        "nav_staff": is_staff_anywhere(user),
        "nav_writer": is_writer_anywhere(user),
        "nav_unread": unread_count(user),
    }
