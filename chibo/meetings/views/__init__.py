"""Meeting pages. Each view: access helper, form, service, render or redirect."""

from .cell import cell_meetings, check_in, meeting_create, meetings_plan, my_meetings, schedule_set  # noqa: F401
from .meeting import (  # noqa: F401
    attendance_all,
    attendance_mark,
    guest_add,
    guest_remove,
    meeting_adopt,
    meeting_amend,
    meeting_cancel,
    meeting_detail,
    meeting_hold,
    meeting_move,
    roster_freeze,
    vote_record,
)
from .prepare import (  # noqa: F401
    agenda_item_add,
    agenda_item_change,
    agenda_reset,
    agenda_save,
    agenda_templates,
    document_download,
    document_post,
    document_remove,
    officers_set,
    resolution_draft,
)
from .record import (  # noqa: F401
    dues_record,
    proposal_add,
    proposal_answer,
    quality_confirm,
    quality_score,
    speech_add,
    task_create,
    task_review,
    tasks_carry,
)
