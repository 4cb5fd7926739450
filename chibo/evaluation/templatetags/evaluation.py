"""{{ row.level|level }}: a level's name (Level) from its key, "" for none."""

from django import template

from chibo.evaluation.models import Level

register = template.Library()


@register.filter
def level(key: str | None) -> str:
    return str(Level(key).label) if key in Level.values else ""
