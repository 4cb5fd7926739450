"""Writes of the development pipeline and of the official review. Each step is one atomic
service that checks the rule of that step, with the rules in force on the step's own date
(`chibo.rules.at`), and refuses with a message that says why (and by how much)."""

from .candidates import (
    PROFILE_FIELDS,
    candidate_ceremony,
    candidate_class_done,
    candidate_create,
    candidate_decide,
    candidate_drop,
    candidate_introduce,
    candidate_update,
    candidate_vote,
)
from .reviews import review_decide, review_vote

__all__ = [
    "PROFILE_FIELDS",
    "candidate_ceremony",
    "candidate_class_done",
    "candidate_create",
    "candidate_decide",
    "candidate_drop",
    "candidate_introduce",
    "candidate_update",
    "candidate_vote",
    "review_decide",
    "review_vote",
]
