"""The kinds of notice and what each says. A kind belongs to the app that sends it and is
declared there, in its `reminders.py` (`DOCUMENTS_POSTED = notice_kind(...)`); the text is
rendered from the notice's params when shown, in the reader's language. Adding a kind needs
no migration: a notice stores its kind's key."""

from dataclasses import dataclass

from django.utils.functional import Promise

from chibo.core.registry import Registry

from .models import Notice


@dataclass(frozen=True)
class NoticeKind:
    label: str | Promise  # what the kind is, for lists and filters
    text: str | Promise  # the notice itself: "%(name)s" placeholders filled from its params


KINDS: Registry[NoticeKind] = Registry("notice kinds", discover="reminders")

# Notice.kind holds at most this many characters.
KEY_LENGTH = 30


def notice_kind(key: str, label: str | Promise, text: str | Promise) -> str:
    """Declare a kind of notice; returns its key, to pass to `notify(kind=...)`."""
    if len(key) > KEY_LENGTH:
        raise ValueError(f"notice kind {key!r} is longer than {KEY_LENGTH} characters")
    KINDS.register(key, NoticeKind(label, text))
    return key


def text_of(notice: Notice) -> str:
    kind = KINDS.get(notice.kind)
    try:
        return str(kind.text) % notice.params if kind else notice.key
    except (KeyError, TypeError, ValueError):
        return notice.key


def label_of(key: str) -> str:
    kind = KINDS.get(key)
    return str(kind.label) if kind else key
