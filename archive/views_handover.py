"""Hand-over (移交) and inspection (检查) pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loancenter.errors import DomainError
from loancenter.roles import ARCHIVIST, AUDITOR, DIRECTOR, has_role
from loancenter.web import show_refusal

from .forms_custody import (
    CancelForm,
    HandoverForm,
    InspectionForm,
)
from .models import (
    ArchiveItem,
    Handover,
    HandoverStatus,
    Inspection,
)
from .services import handover as handover_service
from .services.custody import IN_CARE
from .views_custody import PAGE_SIZE, _act, _staff_only

# --- hand-over --------------------------------------------------------------------------------


@login_required
def handovers(request):
    _staff_only(request.user)
    rows = (
        Handover.objects.select_related("from_custodian", "to_custodian")
        .annotate(item_count=Count("items"))
        .order_by("-created_at", "-pk")
    )
    mine = Q(from_custodian=request.user) | Q(to_custodian=request.user)
    return render(
        request,
        "archive/custody/handovers.html",
        {
            "waiting": rows.filter(mine, status=HandoverStatus.PENDING),
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "is_archivist": has_role(request.user, ARCHIVIST),
        },
    )


@login_required
def handover_new(request):
    if not has_role(request.user, ARCHIVIST):
        raise Http404
    form = HandoverForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            handover = handover_service.start_handover(
                user=request.user,
                to_custodian=data["to_custodian"],
                items=data["items"],
                reason=data["reason"],
            )
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The list was sent to the receiving custodian."))
            return redirect("archive:handover_detail", pk=handover.pk)
    mine = ArchiveItem.objects.filter(custodian=request.user, status__in=IN_CARE)
    mine = mine.select_related("dossier__customer").order_by("room", "cabinet", "shelf", "number")
    return render(
        request,
        "archive/custody/handover_form.html",
        {"form": form, "page": Paginator(mine, 50).get_page(request.GET.get("page"))},
    )


def _handover_for(user, pk) -> Handover:
    _staff_only(user)
    return get_object_or_404(
        Handover.objects.select_related("from_custodian", "to_custodian"), pk=pk
    )


@login_required
def handover_detail(request, pk):
    handover = _handover_for(request.user, pk)
    pending = handover.status == HandoverStatus.PENDING
    party = request.user.pk in (handover.from_custodian_id, handover.to_custodian_id)
    return render(
        request,
        "archive/custody/handover_detail.html",
        {
            "handover": handover,
            "items": handover.items.select_related("dossier__customer").order_by("number"),
            "may_confirm": pending and handover.to_custodian_id == request.user.pk,
            "may_cancel": pending and party and has_role(request.user, ARCHIVIST),
        },
    )


@require_POST
@login_required
def handover_confirm(request, pk):
    handover = _handover_for(request.user, pk)
    return _act(
        request,
        lambda: handover_service.confirm_handover(handover=handover, user=request.user),
        _("Hand-over confirmed: the items are in your custody."),
        "archive:handover_detail",
        handover.pk,
    )


@require_POST
@login_required
def handover_cancel(request, pk):
    handover = _handover_for(request.user, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        lambda: handover_service.cancel_handover(
            handover=handover, user=request.user, reason=reason
        ),
        _("The hand-over was called off."),
        "archive:handover_detail",
        handover.pk,
    )


# --- inspections ------------------------------------------------------------------------------


def _may_inspect(user) -> bool:
    return has_role(user, ARCHIVIST, DIRECTOR, AUDITOR)


@login_required
def inspections(request):
    _staff_only(request.user)
    rows = (
        Inspection.objects.select_related("inspector")
        .annotate(item_count=Count("items"))
        .order_by("-inspected_on", "-pk")
    )
    return render(
        request,
        "archive/custody/inspections.html",
        {
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "may_inspect": _may_inspect(request.user),
        },
    )


@login_required
def inspection_new(request):
    if not _may_inspect(request.user):
        raise Http404
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = handover_service.record_inspection(user=request.user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Inspection recorded."))
            return redirect("archive:inspection_detail", pk=inspection.pk)
    return render(request, "archive/custody/inspection_form.html", {"form": form})


@login_required
def inspection_detail(request, pk):
    _staff_only(request.user)
    inspection = get_object_or_404(Inspection.objects.select_related("inspector"), pk=pk)
    items = inspection.items.select_related("dossier__customer").order_by("number")
    return render(
        request,
        "archive/custody/inspection_detail.html",
        {"inspection": inspection, "items": items},
    )
