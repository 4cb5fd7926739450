"""The annual evaluation, the writes: opening a year's campaign (and refreshing its list), the
member's self-assessment, the cell's proposal with its vote, the committee's decision, the
override of a check, publication, and the ratings of past years from an office's records.
The reads are chibo.evaluation.queries; who is rated is chibo.evaluation.ratable, the checks
chibo.evaluation.checks."""

from .campaigns import (
    OPENED,
    OVERRIDDEN,
    PUBLISHED,
    REASON_MAX,
    REFRESHED,
    campaign_open,
    campaign_publish,
    campaign_refresh,
    override_record,
)
from .history import (
    CREATED,
    RATING_IMPORTED,
    UNCHANGED,
    UPDATED,
    base_organisation,
    rating_import,
)
from .ratings import DECIDED, PROPOSED, evaluation_decide, evaluation_propose, voters_allowed
from .selves import SELF_SAVED, SELF_SUBMITTED, TEXT_MAX, self_assessment_save

__all__ = [
    "CREATED",
    "DECIDED",
    "OPENED",
    "OVERRIDDEN",
    "PROPOSED",
    "PUBLISHED",
    "RATING_IMPORTED",
    "REASON_MAX",
    "REFRESHED",
    "SELF_SAVED",
    "SELF_SUBMITTED",
    "TEXT_MAX",
    "UNCHANGED",
    "UPDATED",
    "base_organisation",
    "campaign_open",
    "campaign_publish",
    "campaign_refresh",
    "evaluation_decide",
    "evaluation_propose",
    "override_record",
    "rating_import",
    "self_assessment_save",
    "voters_allowed",
]
