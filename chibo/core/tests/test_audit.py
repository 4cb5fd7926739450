"""The audit framework: one event per write, in the write's transaction, said in words."""

import datetime as dt
import inspect
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy

import chibo
from chibo.core import audit
from chibo.core.models import AuditEvent
from chibo.core.registry import discover
from chibo.testing import factories as f

RENAMED = audit.kind("test.renamed", gettext_lazy("Renamed from %(old)s to %(new)s"))
DATED = audit.kind("test.dated", "On %(day)s as %(role)s")


class Colour(models.TextChoices):
    RED = "red", gettext_lazy("Official")  # a label the catalogue translates


@audit.write
def rename(group, new, *, actor, fail=False):
    old = group.name
    group.name = new
    group.save()
    audit.record(RENAMED, actor=actor, obj=group, old=old, new=new)
    if fail:
        raise ValueError("after the event")
    return group


@audit.write
def rename_twice(group, *, actor):
    rename(group, "first", actor=actor)
    rename(group, "second", actor=actor)
    audit.record(RENAMED, actor=actor, obj=group, old="start", new="second")


@pytest.mark.django_db
def test_a_write_records_one_event_with_who_what_and_facts():
    user = f.user(username="writer")
    group = Group.objects.create(name="before")
    rename(group, "after", actor=user)
    (event,) = AuditEvent.objects.all()
    assert (event.kind, event.actor_id, event.object_id, event.about_id) == (
        RENAMED,
        user.pk,
        group.pk,
        group.pk,
    )
    assert event.facts == {"old": "before", "new": "after"}
    with translation.override("en"):
        assert audit.sentence(event) == "Renamed from before to after"
    assert list(audit.of(group)) == [event] == list(audit.about([group]))


@pytest.mark.django_db
def test_services_called_by_a_service_record_nothing_of_their_own():
    group = Group.objects.create(name="start")
    rename_twice(group, actor=None)
    assert AuditEvent.objects.count() == 1
    assert AuditEvent.objects.get().facts == {"old": "start", "new": "second"}
    # Called on their own, the same services record one event each.
    rename(group, "third", actor=None)
    rename(group, "fourth", actor=None)
    assert AuditEvent.objects.count() == 3


@pytest.mark.django_db
def test_the_event_goes_with_its_write_when_the_write_fails():
    group = Group.objects.create(name="kept")
    with pytest.raises(ValueError):
        rename(group, "lost", actor=None, fail=True)
    assert not AuditEvent.objects.exists()
    group.refresh_from_db()
    assert group.name == "kept"


@pytest.mark.django_db
def test_an_event_outside_a_service_or_of_an_unknown_kind_is_refused():
    group = Group.objects.create(name="g")
    with pytest.raises(RuntimeError):
        audit.record(RENAMED, actor=None, obj=group)

    @audit.write
    def unknown(*, actor):
        audit.record("test.nobody-declared-this", actor=actor, obj=group)

    with pytest.raises(ValueError):
        unknown(actor=None)


@pytest.mark.django_db
def test_facts_are_kept_as_they_were_and_shown_in_the_readers_language():
    group = Group.objects.create(name="g")

    @audit.write
    def dated(*, actor):
        audit.record(DATED, actor=actor, obj=group, day=dt.date(2026, 3, 9), role=Colour.RED)

    dated(actor=None)
    event = AuditEvent.objects.get()
    assert event.facts == {"day": "09/03/2026", "role": {"t": "Official"}}
    with translation.override("en"):
        assert audit.sentence(event) == "On 09/03/2026 as Official"
    with translation.override("vi"):
        vi = audit.sentence(event)
    assert vi.startswith("On 09/03/2026 as ") and not vi.endswith("Official")
    # A fact the text names but the event lacks, and a kind no app declares any more.
    event.facts = {}
    assert audit.sentence(event) == "On … as …"
    event.kind = "gone.kind"
    assert audit.sentence(event) == "gone.kind"


def test_every_service_takes_actor_keyword_only():
    discover("services")
    real = [s for s in audit.SERVICES if not s.__module__.startswith(__name__)]
    assert len(real) > 50, "the apps' services are decorated with @audit.write"
    missing = []
    for service in real:
        actor = inspect.signature(service).parameters.get("actor")
        if actor is None or actor.kind is not inspect.Parameter.KEYWORD_ONLY:
            missing.append(f"{service.__module__}.{service.__qualname__}")
    assert missing == []


def test_every_kind_of_event_says_the_same_facts_in_both_languages():
    """A translation that drops, adds or misspells a fact would show "…" or fail: each
    kind's Vietnamese sentence names exactly the facts of its English one, and renders."""
    discover("services")
    facts = re.compile(r"%\((\w+)\)s")
    assert len(audit.KINDS) > 50
    wrong = []
    for key, known in audit.KINDS.items():
        if key.startswith("test."):
            continue  # this file's own kinds, which no catalogue translates
        with translation.override(None):
            english = str(known.text)
        with translation.override("vi"):
            vietnamese = str(known.text)
        names = set(facts.findall(english))
        if set(facts.findall(vietnamese)) != names or vietnamese == english and names:
            wrong.append(key)
            continue
        event = AuditEvent(kind=key, facts={n: f"<{n}>" for n in names})
        with translation.override("vi"):
            said = audit.sentence(event)
        if "…" in said or any(f"<{n}>" not in said for n in names):
            wrong.append(key)
    assert wrong == []


def test_writes_are_transactions_through_audit_write():
    """`@transaction.atomic` on a service would run it without its event; services use
    `@audit.write` (which is the transaction)."""
    root = Path(chibo.__file__).parent
    files = [
        *root.glob("*/services.py"),
        *root.glob("*/services/*.py"),
        *root.glob("*/transfers.py"),
    ]
    offenders = [str(p.relative_to(root)) for p in files if "@transaction.atomic" in p.read_text()]
    assert offenders == []


@pytest.mark.django_db
def test_a_silenced_write_records_no_event_but_still_writes():
    group = Group.objects.create(name="old")
    with audit.silenced():
        rename(group, "generated", actor=None)
    assert not AuditEvent.objects.exists()
    group.refresh_from_db()
    assert group.name == "generated"
    rename(group, "real", actor=None)
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_the_administrator_reads_the_events_in_words_and_cannot_change_them(admin_client):
    group = Group.objects.create(name="Tổ 1")
    rename(group, "Tổ 2", actor=None)
    page = admin_client.get("/admin/core/auditevent/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Renamed from Tổ 1 to Tổ 2" in page.content.decode()
    event = AuditEvent.objects.get()
    assert admin_client.post(f"/admin/core/auditevent/{event.pk}/delete/").status_code == 403


@pytest.mark.django_db
def test_a_moment_is_kept_as_the_day_it_was_in_vietnam():
    group = Group.objects.create(name="g")

    @audit.write
    def early(*, actor):
        # 06:30 on 10/03/2026 in Hà Nội is 23:30 on 09/03 in UTC.
        moment = dt.datetime(2026, 3, 9, 23, 30, tzinfo=dt.UTC)
        audit.record(DATED, actor=actor, obj=group, day=moment, role="x")

    early(actor=None)
    assert AuditEvent.objects.get().facts["day"] == "10/03/2026"
