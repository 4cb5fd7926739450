"""/api/v1/rules: the rules in force on a day, their versions, and the working-day calendar.
Everyone with a unit role reads; adding takes what the pages take (chibo.rules.access)."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from chibo.accounts.authentication import user_of
from chibo.core.api import Day, InSchema, Year
from chibo.org.models import Kind, OrgUnit

from . import calendar, services
from .access import can_add_days, provinces_for_rules, require_staff
from .catalogue import ENTRIES, from_text, ordered, to_text
from .models import DayChange, RuleVersion
from .queries import sources

rules_router = Router(tags=["rules"])


class RuleOut(Schema):
    name: str
    label: str
    value: Any = Field(description="As stored: a number, a share '2/3', a list or a map.")
    version: int | None
    source: str | None
    effective_from: dt.date | None


class InForce(Schema):
    on: dt.date
    province: int | None
    rules: list[RuleOut]


class VersionOut(Schema):
    id: int
    effective_from: dt.date
    source: str
    province: int | None = Field(validation_alias="province_id")
    values: dict[str, Any]


class VersionIn(InSchema):
    effective_from: dt.date = Field(description="Today at the earliest.")
    source: str = Field(max_length=200)
    province: int | None = Field(None, description="Empty: nationwide.")
    values: dict[str, Any] = Field(
        description="Rule name -> value, stored form or the text the form takes ('2/3', "
        "'30, 40', '03/02, 19/05', 'reprimand=6, warning=9, dismissal=12')."
    )


class DayOut(Schema):
    date: dt.date
    working: bool
    name: str
    recorded: bool
    id: int | None = None


class YearOut(Schema):
    year: int
    working_days: int
    days: list[DayOut]


class DayIn(InSchema):
    date: dt.date
    working: bool
    name: str = Field(max_length=200)


def _reader(request: HttpRequest):
    user = user_of(request)
    require_staff(user)
    return user


@rules_router.get("", response=InForce)
def rules_in_force(
    request: HttpRequest, on: Day | None = None, province: int | None = None
) -> dict:
    """Each rule's value on `on` (default today) and the version that set it."""
    _reader(request)
    on = on or timezone.localdate()
    if province is not None:
        get_object_or_404(OrgUnit, pk=province, kind=Kind.PROVINCE, deleted_at__isnull=True)
    by_rule = sources(on, province)
    versions = RuleVersion.objects.in_bulk(set(by_rule.values()))
    out = []
    for entry in ordered():
        name = entry.name
        v = versions.get(by_rule.get(name, 0))
        out.append(
            {
                "name": name,
                "label": str(entry.label),
                "value": v.values[name] if v else None,
                "version": v.pk if v else None,
                "source": v.source if v else None,
                "effective_from": v.effective_from if v else None,
            }
        )
    return {"on": on, "province": province, "rules": out}


@rules_router.get("/versions", response=list[VersionOut])
def version_list(request: HttpRequest) -> list[RuleVersion]:
    _reader(request)
    return list(RuleVersion.objects.order_by("effective_from", "pk"))


@rules_router.post("/versions", response={201: VersionOut})
def version_create(request: HttpRequest, payload: VersionIn) -> tuple[int, RuleVersion]:
    user = _reader(request)
    provinces = provinces_for_rules(user)
    if provinces is None:
        raise PermissionDenied
    province = get_object_or_404(provinces, pk=payload.province) if payload.province else None
    values, errors = {}, []
    for name, value in payload.values.items():
        entry = ENTRIES.get(name)
        if entry is None:
            errors.append(name)
            continue
        text = value if isinstance(value, str) else to_text(entry, value)
        values[name] = from_text(entry, str(text))
    if errors:
        raise ValidationError(
            {"values": _("Unknown rules: %(names)s.") % {"names": ", ".join(sorted(errors))}}
        )
    return 201, services.version_add(
        actor=user,
        effective_from=payload.effective_from,
        source=payload.source,
        province=province,
        values=values,
    )


@rules_router.get("/working-days", response=YearOut)
def working_days(request: HttpRequest, year: Year | None = None) -> dict:
    """The year's holidays, weekend days worked and recorded changes, and its working days."""
    _reader(request)
    year = year or timezone.localdate().year
    if not calendar.FIRST.year <= year <= calendar.LAST.year:
        raise ValidationError(
            {
                "year": _("Chibo counts working days from %(first)s to %(last)s.")
                % {"first": f"{calendar.FIRST:%d/%m/%Y}", "last": f"{calendar.LAST:%d/%m/%Y}"}
            }
        )
    ids = dict(DayChange.objects.filter(date__year=year).values_list("date", "pk"))
    return {
        "year": year,
        "working_days": calendar.working_days_between(
            dt.date(year - 1, 12, 31), dt.date(year, 12, 31)
        ),
        "days": [{**d._asdict(), "id": ids.get(d.date)} for d in calendar.days_off(year)],
    }


@rules_router.post("/working-days", response={201: DayOut})
def day_create(request: HttpRequest, payload: DayIn) -> tuple[int, dict]:
    user = _reader(request)
    if not can_add_days(user):
        raise PermissionDenied
    change = services.day_change_add(
        actor=user, date=payload.date, working=payload.working, name=payload.name
    )
    return 201, {
        "date": change.date,
        "working": change.working,
        "name": change.name,
        "recorded": True,
        "id": change.pk,
    }


@rules_router.delete("/working-days/{int:change_id}", response={204: None})
def day_delete(request: HttpRequest, change_id: int) -> tuple[int, None]:
    user = _reader(request)
    change = get_object_or_404(DayChange, pk=change_id)
    if not can_add_days(user):
        raise PermissionDenied
    services.day_change_delete(actor=user, change=change)
    return 204, None


@rules_router.get("/working-days/after", response=dict[str, dt.date])
def day_after(request: HttpRequest, start: Day, days: int) -> dict:
    """The `days`-th working day after `start` (a deadline such as the ceremony's)."""
    _reader(request)
    if not 1 <= days <= 366:
        raise ValidationError({"days": _("Between 1 and 366 working days.")})
    return {"deadline": calendar.working_days_after(start, days)}
