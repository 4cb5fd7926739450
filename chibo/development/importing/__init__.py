"""The development pipeline's sheets of the import template (chibo.core.sheets): candidates
on their way to admission, and official-membership reviews."""

from chibo.core.sheets import register

from .candidates import CANDIDATE_HANDLER
from .reviews import REVIEW_HANDLER

register(CANDIDATE_HANDLER)
register(REVIEW_HANDLER)
