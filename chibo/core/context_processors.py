from chibo.accounts.models import WRITE_ROLES, RoleGrant
from chibo.core.access import is_staff_anywhere


def navigation(request):
    """What the menu offers: lists for people with a unit role, import and trash for writers."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_staff": is_staff_anywhere(user),
        "nav_writer": user.is_superuser
        or RoleGrant.objects.filter(user_id=user.pk, role__in=WRITE_ROLES).exists(),
    }
