"""The notification centre: a person's own notices, and the e-mail address they go to."""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chibo.accounts.models import User
from chibo.core.forms import BootstrapForm

from .kinds import text_of
from .models import EmailState, Notice


class EmailForm(BootstrapForm, forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail for notifications"),
        required=False,
        help_text=gettext_lazy("Leave empty to be notified in Chibo only."),
    )


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if request.method == "POST":
        form = EmailForm(request.POST)
        if form.is_valid():
            user.email = form.cleaned_data["email"]
            user.save(update_fields=["email"])
            messages.success(request, _("E-mail address saved."))
            return redirect("notices:list")
    else:
        form = EmailForm(initial={"email": user.email})
    rows = Notice.objects.filter(user=user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for notice in page:
        notice.text = text_of(notice)  # type: ignore[attr-defined]
    return render(
        request,
        "notices/list.html",
        {"page": page, "form": form, "failed": EmailState.FAILED},
        status=200 if form.is_bound is False or form.is_valid() else 422,
    )


@login_required
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notice: it is read from now on."""
    notice = get_object_or_404(Notice, pk=pk, user=request.user)
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("notices:list")


@require_POST
@login_required
def notice_read_all(request: HttpRequest) -> HttpResponse:
    n = Notice.objects.filter(user=cast(User, request.user), read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("%(n)s notifications marked as read.") % {"n": n})
    return redirect("notices:list")
