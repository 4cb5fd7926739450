"""Downloads of Word files: a meeting's minutes and resolution; a member's self-assessment
of the year; receipts of party dues (a remittance's, a member's payment's)."""

import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from chibo.dues.models import DuesPayment
from chibo.dues.remittance import access as remittance_access
from chibo.evaluation import access as evaluation_access
from chibo.meetings import access as meeting_access
from chibo.meetings.models import Meeting
from chibo.members import access as member_access

from . import docx_dues, docx_evaluation, docx_meeting, services
from .models import DocType, IssuedDocument

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _get_meeting_for(user, pk: int) -> Meeting:
    """A meeting whose whole record the user may read: 404 outside the scope; 403 for a member
    who sees their cell's schedule but not the minutes (they name absentees and reasons)."""
    meeting = meeting_access.get_meeting_for(user, pk)
    if not meeting_access.can_read_meeting_record(user, meeting):
        raise PermissionDenied
    return meeting


def _ascii(text: str) -> str:
    """'Chi bộ Đông' -> 'chi-bo-dong': a filename every browser and mail client keeps."""
    text = text.replace("Đ", "D").replace("đ", "d")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return slugify(plain)


def _download(
    meeting: Meeting, issued: IssuedDocument | None, name: str, data: bytes
) -> HttpResponse:
    parts = [name, meeting.cell.code, f"{meeting.day:%Y-%m-%d}"]
    if issued is not None:
        parts.insert(1, f"so-{issued.number:02d}")
    else:
        parts.append("du-thao")
    filename = "-".join(p for p in (_ascii(x) for x in parts) if p) + ".docx"
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _refused(request: HttpRequest, meeting: Meeting, error: ValidationError) -> HttpResponse:
    """Back to the meeting page, saying why the file cannot be made (e.g. the resolution did
    not pass): the person clicked a link there."""
    messages.error(request, " ".join(error.messages))
    return redirect("meetings:detail", meeting.pk)


@require_GET
@login_required
def minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for(request.user, pk)
    try:
        issued = services.meeting_document(
            meeting=meeting, type=DocType.MINUTES, actor=request.user
        )
    except ValidationError as e:
        return _refused(request, meeting, e)
    return _download(meeting, issued, "bien-ban", docx_meeting.minutes_docx(meeting, issued))


@require_GET
@login_required
def resolution_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for(request.user, pk)
    try:
        issued = services.meeting_document(
            meeting=meeting, type=DocType.RESOLUTION, actor=request.user
        )
    except ValidationError as e:
        return _refused(request, meeting, e)
    return _download(meeting, issued, "nghi-quyet", docx_meeting.resolution_docx(meeting, issued))


@require_GET
@login_required
def evaluation_self_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's self-assessment (bản kiểm điểm cá nhân), for the member, their cell's
    secretary and the offices above (chibo.evaluation.access)."""
    assessment = evaluation_access.get_self_assessment_for(request.user, pk)
    # The form's criteria are interface messages: the document is written in Vietnamese.
    with translation.override("vi"):
        data = docx_evaluation.self_assessment_docx(assessment)
    name = f"ban-kiem-diem-{_ascii(assessment.member.full_name)}-{assessment.year}.docx"
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# Receipts of party dues ------------------------------------------------------------------------


def _docx(data: bytes, *parts: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX)
    filename = "-".join(p for p in (_ascii(x) for x in parts) if p) + ".docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def remittance_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt of dues a unit handed up: for the readers of the unit (the level that
    received it reads it too)."""
    remittance = remittance_access.get_remittance_for(request.user, pk)
    data = docx_dues.remittance_receipt_docx(remittance)
    return _docx(data, "phieu-thu-dang-phi", remittance.unit.code, f"{remittance.month:%Y-%m}")


def _get_payment_for(user, pk: int) -> DuesPayment:
    """A payment of a member whose record the user reads (a member reads their own)."""
    readable = DuesPayment.objects.filter(member__in=member_access.members_for(user))
    if user.member_id:
        readable = readable | DuesPayment.objects.filter(member_id=user.member_id)
    try:
        return readable.select_related("member").get(pk=pk)
    except (DuesPayment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@require_GET
@login_required
def payment_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt of a member's dues for a month, given by the cell."""
    payment = _get_payment_for(request.user, pk)
    data = docx_dues.payment_receipt_docx(payment)
    return _docx(data, "phieu-thu-dang-phi", payment.member.code, f"{payment.month:%Y-%m}")
