"""Template tags about the reader's scope in the tree."""

from django import template

from chibo.org.access import units_for

register = template.Library()


@register.simple_tag(takes_context=True)
def openable(context, units) -> set[int]:
    """The ids of `units` the reader may open (one query): breadcrumbs link only those, so
    that no crumb leads to a 404 or 403 page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    pks = [u.pk for u in units or ()]
    if user is None or not user.is_authenticated or not pks:
        return set()
    return set(units_for(user).filter(pk__in=pks).values_list("pk", flat=True))
