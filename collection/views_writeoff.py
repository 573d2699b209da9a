"""Write-off (核销): the request on the case page, the queue for the reviewer, the director and
head office, the request page with its decision form, and the evidence files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loancenter import audit
from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.roles import DIRECTOR, HEAD_OFFICE, REVIEWER, has_role
from loancenter.web import show_refusal

from . import forms_cases as forms
from . import selectors_cases as selectors
from .list_exports import WRITE_OFFS
from .models import WriteOffStatus
from .services import writeoff
from .views_cases import handle

PAGE_SIZE = 25


@require_POST
@login_required
def writeoff_request(request, pk):
    case = selectors.case_for(request.user, pk)
    form = forms.WriteOffRequestForm(request.POST, request.FILES, prefix="writeoff")
    return handle(
        request,
        case,
        "write_off",
        form,
        lambda data: writeoff.request_write_off(
            case=case,
            user=request.user,
            ground=data["ground"],
            reason=data["reason"],
            evidence=form.evidence(),
        ),
        _("The write-off request has been sent to the reviewer."),
    )


@login_required
def writeoff_list(request):
    if not selectors.may_use_write_offs(request.user):
        raise Http404
    scope = request.GET.get("scope", "")
    rows = selectors.write_off_queue(request.user, scope=scope)
    if (export := export_response(request, rows, WRITE_OFFS, _("Write-off requests"))) is not None:
        return export
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "collection/cases/writeoff_list.html",
        {
            "page": page,
            "scope": scope,
            "deciding": bool(selectors.waiting_statuses(request.user)),
        },
    )


def _step(user, write_off):
    """The decision ``user`` may take on the request now, as (service, keyword for agree)."""
    if write_off.status == WriteOffStatus.PENDING_REVIEW and has_role(user, REVIEWER):
        return writeoff.review_write_off, "agree"
    if write_off.status == WriteOffStatus.PENDING_APPROVAL and has_role(user, DIRECTOR):
        return writeoff.decide_write_off, "approve"
    if write_off.status == WriteOffStatus.ESCALATED and has_role(user, HEAD_OFFICE):
        return writeoff.decide_write_off, "approve"
    return None, None


@login_required
def writeoff_detail(request, pk):
    write_off = selectors.write_off_for(request.user, pk)
    service, agree = _step(request.user, write_off)
    form = forms.DecisionForm(request.POST or None) if service else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            service(
                request=write_off,
                user=request.user,
                opinion=form.cleaned_data["opinion"],
                **{agree: form.cleaned_data["agree"]},
            )
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("collection:writeoff_detail", pk=write_off.pk)
    return render(
        request,
        "collection/cases/writeoff_detail.html",
        {
            "write_off": write_off,
            "account": write_off.account,
            "evidence": write_off.evidence.select_related("uploaded_by"),
            "events": audit.events_for(write_off),
            "limit": writeoff.director_limit(),
            "form": form,
        },
    )


@login_required
def evidence_download(request, pk, evidence_pk):
    evidence = selectors.evidence_for(request.user, pk, evidence_pk)
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=evidence.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
