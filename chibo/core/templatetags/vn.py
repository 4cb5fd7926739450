"""Template filters for Vietnamese number and date format: {{ n|vn_number }}, {{ d|vn_date }};
an audit event in words: {{ e|audit_sentence }}."""

from django import template

from chibo.core import audit, formats

register = template.Library()


@register.filter
def vn_number(value, decimals=0):
    return formats.number(value, int(decimals))


@register.filter
def vn_date(value):
    return formats.date(value)


@register.filter
def vn_datetime(value):
    return formats.datetime(value)


@register.filter
def person(user) -> str:
    """A user as records name them: `display_name` of the accounts' User (the linked member's
    full name, else the account's full name, else the login); empty for nobody."""
    if user is None or user == "":
        return ""
    return getattr(user, "display_name", None) or str(user)


@register.simple_tag
def vn_percent(part, whole, decimals=2):
    return formats.percent(part or 0, whole or 0, int(decimals))


@register.simple_tag
def vn_ratio(part, whole):
    return formats.ratio(part or 0, whole or 0)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def audit_sentence(event):
    """An audit event in words, in the reader's language."""
    return audit.sentence(event)
