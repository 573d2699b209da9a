"""The vault under dual custody, borrowing (调阅), hand-over (移交) and inspections (检查).

The archivist, the director and the auditor see these pages; anyone else sees only their own
borrowings and answers 404 elsewhere. The services decide who may do what."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.roles import ARCHIVIST, AUDITOR, DIRECTOR, has_role
from loancenter.web import show_refusal

from . import list_exports, selectors
from .forms_custody import (
    BorrowDecisionForm,
    BorrowFilterForm,
    BorrowRequestForm,
    CancelForm,
    DepositForm,
    ReleaseForm,
    VaultFilterForm,
)
from .models import (
    ArchiveItem,
    BorrowRequest,
    BorrowStatus,
    ItemStatus,
    MovementKind,
    MovementStatus,
    VaultMovement,
)
from .services import borrowing, custody
from .services.borrowing import OPEN

PAGE_SIZE = 25


def _staff_only(user) -> None:
    if not selectors.sees_whole_archive(user):
        raise Http404


def _back(request, fallback: str, *args):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback, *args)


def _act(request, call, success: str, fallback: str, *args):
    """Run one service call from a POST, show its refusal or its success, and go back."""
    try:
        call()
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(request, success)
    return _back(request, fallback, *args)


# --- the vault --------------------------------------------------------------------------------


@login_required
def vault(request):
    _staff_only(request.user)
    form = VaultFilterForm(request.GET or None)
    items = ArchiveItem.objects.filter(status=ItemStatus.IN_VAULT)
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        items = items.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(dossier__customer__name__icontains=q)
            | Q(room__icontains=q)
            | Q(cabinet__icontains=q)
            | Q(shelf__icontains=q)
            | Q(box__icontains=q)
        )
    items = items.select_related("dossier__customer", "custodian").order_by(
        "room", "cabinet", "shelf", "box", "number"
    )
    movements = VaultMovement.objects.select_related(
        "item__dossier__customer", "started_by", "confirmed_by", "borrow__requested_by"
    )
    return render(
        request,
        "archive/custody/vault.html",
        {
            "form": form,
            "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
            "pending": movements.filter(status=MovementStatus.PENDING).order_by("started_at"),
            "recent": movements.exclude(status=MovementStatus.PENDING).order_by("-pk")[:15],
            "is_archivist": has_role(request.user, ARCHIVIST),
        },
    )


def _movement_for(user, pk) -> VaultMovement:
    _staff_only(user)
    return get_object_or_404(VaultMovement, pk=pk)


@require_POST
@login_required
def movement_confirm(request, pk):
    movement = _movement_for(request.user, pk)
    return _act(
        request,
        lambda: custody.confirm_movement(movement=movement, user=request.user),
        _("Confirmed: %(item)s has moved.") % {"item": movement.item},
        "archive:vault",
    )


@require_POST
@login_required
def movement_cancel(request, pk):
    movement = _movement_for(request.user, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        lambda: custody.cancel_movement(movement=movement, user=request.user, reason=reason),
        _("The vault movement was called off."),
        "archive:vault",
    )


@require_POST
@login_required
def item_deposit(request, pk):
    item = selectors.item_for(request.user, pk)
    form = DepositForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say where the voucher goes: room, cabinet and shelf."))
        return redirect("archive:item_detail", pk=item.pk)
    data = form.cleaned_data
    return _act(
        request,
        lambda: custody.start_movement(
            item=item,
            user=request.user,
            kind=MovementKind.DEPOSIT,
            purpose=data["purpose"],
            location=data,
        ),
        _("Deposit started: a second archivist confirms it on the vault page."),
        "archive:item_detail",
        item.pk,
    )


@require_POST
@login_required
def item_release(request, pk):
    item = selectors.item_for(request.user, pk)
    form = ReleaseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        movement = custody.release_item(item=item, user=request.user, reason=reason)
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("Release started: a second archivist confirms it on the vault page.")
            if movement
            else _("%(item)s was released.") % {"item": item},
        )
    return redirect("archive:item_detail", pk=item.pk)


# --- borrowing --------------------------------------------------------------------------------


@login_required
def borrow_request(request, pk):
    item = selectors.item_for(request.user, pk)
    form = BorrowRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            borrow = borrowing.request_borrowing(item=item, user=request.user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Your request was sent for approval."))
            return redirect("archive:borrow_detail", pk=borrow.pk)
    return render(request, "archive/custody/borrow_request.html", {"item": item, "form": form})


def _borrowings():
    return BorrowRequest.objects.select_related(
        "item__dossier__customer", "requested_by", "decided_by"
    )


@login_required
def my_borrowings(request):
    rows = _borrowings().filter(requested_by=request.user)
    return render(
        request,
        "archive/custody/my_borrowings.html",
        {
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "today": timezone.localdate(),
        },
    )


@login_required
def borrow_queue(request):
    _staff_only(request.user)
    form = BorrowFilterForm(request.GET or None)
    show = form.cleaned_data["show"] if form.is_valid() else ""
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    today = timezone.localdate()
    rows = _borrowings()
    if show == BorrowFilterForm.LATE:
        rows = rows.filter(status=BorrowStatus.OUT, return_by__lt=today)
    elif show == "closed":
        rows = rows.exclude(status__in=OPEN)
    else:
        rows = rows.filter(status=show) if show else rows.filter(status__in=OPEN)
    if q:
        rows = rows.filter(
            Q(item__number__icontains=q)
            | Q(item__title__icontains=q)
            | Q(requested_by__username__icontains=q)
            | Q(requested_by__last_name__icontains=q)
            | Q(requested_by__first_name__icontains=q)
        )
    rows = rows.order_by("return_by", "requested_at") if not show else rows.order_by("-pk")
    if (
        export := export_response(request, rows, list_exports.BORROWINGS, _("Borrowing"))
    ) is not None:
        return export
    return render(
        request,
        "archive/custody/borrow_queue.html",
        {
            "form": form,
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "today": today,
        },
    )


@login_required
def borrow_approvals(request):
    if not (request.user.is_superuser or has_role(request.user, DIRECTOR, AUDITOR)):
        raise Http404
    rows = _borrowings().filter(status=BorrowStatus.PENDING, item__is_vital=True)
    return render(
        request,
        "archive/custody/borrow_approvals.html",
        {
            "page": Paginator(rows.order_by("requested_at"), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "may_decide": has_role(request.user, DIRECTOR),
            "form": BorrowDecisionForm(),
        },
    )


def _borrow_for(user, pk) -> BorrowRequest:
    """The borrowing for the person who asked and for the archive's staff; else 404."""
    borrow = _borrowings().filter(pk=pk).first()
    if borrow is None:
        raise Http404
    if borrow.requested_by_id != user.pk and not selectors.sees_whole_archive(user):
        raise Http404
    return borrow


@login_required
def borrow_detail(request, pk):
    borrow = _borrow_for(request.user, pk)
    archivist = has_role(request.user, ARCHIVIST)
    waiting = borrowing.pending_movement(borrow)
    return render(
        request,
        "archive/custody/borrow_detail.html",
        {
            "borrow": borrow,
            "item": borrow.item,
            "movements": borrow.movements.select_related("started_by", "confirmed_by"),
            "waiting": waiting,
            "decision_form": BorrowDecisionForm()
            if borrowing.may_decide(request.user, borrow)
            else None,
            "may_check_out": archivist and borrow.status == BorrowStatus.APPROVED and not waiting,
            "may_return": archivist and borrow.status == BorrowStatus.OUT and not waiting,
            "late": borrow.status == BorrowStatus.OUT and borrow.return_by < timezone.localdate(),
        },
    )


@require_POST
@login_required
def borrow_decide(request, pk):
    borrow = _borrow_for(request.user, pk)
    form = BorrowDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or refuse."))
        return _back(request, "archive:borrow_detail", borrow.pk)
    return _act(
        request,
        lambda: borrowing.decide_borrowing(borrow=borrow, user=request.user, **form.cleaned_data),
        _("Decision recorded."),
        "archive:borrow_detail",
        borrow.pk,
    )


@require_POST
@login_required
def borrow_check_out(request, pk):
    borrow = _borrow_for(request.user, pk)
    text = (
        _("Withdrawal started: a second archivist confirms it on the vault page.")
        if borrow.item.is_vital
        else _("%(item)s handed out.") % {"item": borrow.item}
    )
    return _act(
        request,
        lambda: borrowing.check_out(borrow=borrow, user=request.user),
        text,
        "archive:borrow_detail",
        borrow.pk,
    )


@require_POST
@login_required
def borrow_return(request, pk):
    borrow = _borrow_for(request.user, pk)
    text = (
        _("Deposit started: a second archivist confirms it on the vault page.")
        if borrow.item.is_vital
        else _("%(item)s is back in the archive.") % {"item": borrow.item}
    )
    return _act(
        request,
        lambda: borrowing.return_item(borrow=borrow, user=request.user),
        text,
        "archive:borrow_detail",
        borrow.pk,
    )
