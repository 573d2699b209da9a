"""Retention and destruction pages: the items due, the destruction lists, a list's page with the
steps the user may take (submit, the director's decision, the witness's checks, completion) and
the printable destruction list. Archivists, the director and auditors see them; others get 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.pdf import pdf_response, render_pdf
from loancenter.roles import ARCHIVIST, AUDITOR, DIRECTOR, has_role
from loancenter.web import show_refusal

from . import forms_retention as forms
from . import list_exports
from . import retention as selectors
from .models import BatchStatus, DestructionBatch, DestructionLine
from .services import retention as services

PAGE_SIZE = 50


def _may_see(user) -> bool:
    return user.is_superuser or has_role(user, ARCHIVIST, DIRECTOR, AUDITOR)


def _batch_for(user, pk) -> DestructionBatch:
    if not _may_see(user):
        raise Http404
    return get_object_or_404(
        DestructionBatch.objects.select_related("prepared_by", "approved_by", "witness"), pk=pk
    )


@login_required
def retention_due(request):
    if not _may_see(request.user):
        raise Http404
    form = forms.DueFilterForm(request.GET or None)
    category = form.cleaned_data.get("category", "") if form.is_valid() else ""
    items = selectors.due_items(category=category)
    if (
        export := export_response(request, items, list_exports.DUE, _("Items due for destruction"))
    ) is not None:
        return export
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "archive/retention/due.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(category),
            "may_prepare": has_role(request.user, ARCHIVIST),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def destruction_prepare(request):
    if not _may_see(request.user):
        raise Http404
    pks = [value for value in request.POST.getlist("items") if value.isdigit() and len(value) < 19]
    try:
        batch = services.prepare_batch(user=request.user, items=[int(pk) for pk in pks])
    except DomainError as error:
        show_refusal(request, error)
        return redirect("archive:retention_due")
    messages.success(
        request,
        _("Destruction list %(number)s is prepared; check it and send it to the director.")
        % {"number": batch.number},
    )
    return redirect("archive:destruction_detail", pk=batch.pk)


@login_required
def destruction_list(request):
    if not _may_see(request.user):
        raise Http404
    form = forms.BatchFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    batches = selectors.batch_list(status=status)
    if (
        export := export_response(request, batches, list_exports.BATCHES, _("Destruction lists"))
    ) is not None:
        return export
    page = Paginator(batches, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "archive/retention/batch_list.html",
        {"form": form, "page": page, "filtered": bool(status)},
    )


def _may_witness(user, batch) -> bool:
    if batch.status != BatchStatus.APPROVED:
        return False
    try:
        services.refuse_unless_witness(batch, user)
    except DomainError:
        return False
    return True


def _actions(user, batch, lines) -> dict:
    witness = _may_witness(user, batch)
    return {
        "submit": batch.status == BatchStatus.DRAFT and has_role(user, ARCHIVIST),
        "decide": batch.status == BatchStatus.PENDING_APPROVAL
        and has_role(user, DIRECTOR)
        and batch.prepared_by_id != user.pk,
        "check": witness,
        "complete": witness and all(line.checked_by_witness for line in lines),
    }


def render_batch(request, batch, *, decide_form=None, complete_form=None):
    lines = list(selectors.batch_lines(batch))
    actions = _actions(request.user, batch, lines)
    return render(
        request,
        "archive/retention/batch_detail.html",
        {
            "batch": batch,
            "lines": lines,
            "checked": sum(line.checked_by_witness for line in lines),
            "actions": actions,
            "decide_form": decide_form or (forms.DecisionForm() if actions["decide"] else None),
            "complete_form": complete_form
            or (forms.CompleteForm() if actions["complete"] else None),
        },
    )


@login_required
def destruction_detail(request, pk):
    return render_batch(request, _batch_for(request.user, pk))


@login_required
@require_POST
def destruction_submit(request, pk):
    batch = _batch_for(request.user, pk)
    try:
        services.submit_batch(batch=batch, user=request.user)
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The destruction list has been sent to the director."))
    return redirect("archive:destruction_detail", pk=batch.pk)


@login_required
@require_POST
def destruction_decide(request, pk):
    batch = _batch_for(request.user, pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        return render_batch(request, batch, decide_form=form)
    try:
        services.decide_batch(batch=batch, user=request.user, **form.cleaned_data)
    except DomainError as error:
        show_refusal(request, error)
        return render_batch(request, batch, decide_form=form)
    messages.success(request, _("Decision recorded."))
    return redirect("archive:destruction_detail", pk=batch.pk)


@login_required
@require_POST
def destruction_check_line(request, line_pk):
    line = get_object_or_404(DestructionLine.objects.select_related("item"), pk=line_pk)
    batch = _batch_for(request.user, line.batch_id)
    try:
        services.check_line(line=line, user=request.user)
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("%(item)s checked against the list.") % {"item": line.item.number}
        )
    return redirect("archive:destruction_detail", pk=batch.pk)


@login_required
@require_POST
def destruction_complete(request, pk):
    batch = _batch_for(request.user, pk)
    form = forms.CompleteForm(request.POST)
    if not form.is_valid():
        return render_batch(request, batch, complete_form=form)
    try:
        services.complete_destruction(batch=batch, user=request.user, **form.cleaned_data)
    except DomainError as error:
        show_refusal(request, error)
        return render_batch(request, batch, complete_form=form)
    messages.success(request, _("The items are recorded as destroyed."))
    return redirect("archive:destruction_detail", pk=batch.pk)


@login_required
def destruction_pdf(request, pk):
    batch = _batch_for(request.user, pk)
    pdf = render_pdf(
        "archive/pdf/destruction_list.html",
        {
            "batch": batch,
            "lines": list(selectors.batch_lines(batch)),
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        },
    )
    return pdf_response(pdf, f"档案销毁清单-{batch.number}.pdf")
