"""Five-level classification pages: an account's history with the request form and the review
flag, and the director's queue of requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.roles import ARCHIVIST, AUDITOR, DIRECTOR, REVIEWER, has_role
from loancenter.web import show_refusal

from .forms_classification import (
    ClassificationDecisionForm,
    ClassificationRequestForm,
    ClearFlagForm,
)
from .list_exports import CLASSIFICATION_CHANGES
from .models import ClassificationChange, DecisionStatus, LoanAccount
from .selectors_accounts import account_for
from .services import classification as service


def _account(user, pk) -> LoanAccount:
    """Everyone who may see the account; the archivist watches every loan's class too."""
    if has_role(user, ARCHIVIST):
        account = (
            LoanAccount.objects.select_related("customer", "product", "officer")
            .filter(pk=pk)
            .first()
        )
        if account is None:
            raise Http404
        return account
    return account_for(user, pk)


@login_required
def account_classification(request, pk):
    """The account's classification history; those allowed ask for a change here."""
    account = _account(request.user, pk)
    may_ask = service.may_request_classification(request.user, account)
    form = ClassificationRequestForm(request.POST or None) if may_ask else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                service.request_classification(
                    account=account, user=request.user, **form.cleaned_data
                )
            except DomainError as error:
                show_refusal(request, error)
            else:
                messages.success(request, _("The request has been sent to the director."))
                return redirect("loans:account_classification", pk=account.pk)
    may_clear = account.needs_review and has_role(request.user, REVIEWER)
    return render(
        request,
        "loans/classification/account.html",
        {
            "account": account,
            "history": service.history(account),
            "form": form,
            "clear_form": ClearFlagForm() if may_clear else None,
        },
    )


@require_POST
@login_required
def clear_review_flag(request, pk):
    account = _account(request.user, pk)
    if not has_role(request.user, REVIEWER):
        raise Http404
    form = ClearFlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say in a note what the review found."))
    else:
        try:
            service.clear_review_flag(account=account, user=request.user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The review flag has been cleared."))
    return redirect("loans:account_classification", pk=account.pk)


def _reads_queue(user) -> bool:
    return user.is_superuser or has_role(user, DIRECTOR, AUDITOR)


@login_required
def classification_queue(request):
    if not _reads_queue(request.user):
        raise Http404
    show_all = request.GET.get("scope") == "all"
    rows = ClassificationChange.objects.select_related(
        "account__customer", "account__product", "requested_by", "decided_by"
    )
    if show_all:
        rows = rows.exclude(origin="floor").order_by("-requested_at", "-pk")
    else:
        rows = rows.filter(status=DecisionStatus.PENDING).order_by("requested_at", "pk")
    if (
        export := export_response(
            request, rows, CLASSIFICATION_CHANGES, _("Classification changes")
        )
    ) is not None:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "loans/classification/queue.html",
        {
            "page": page,
            "show_all": show_all,
            "may_decide": has_role(request.user, DIRECTOR),
        },
    )


@require_POST
@login_required
def classification_decide(request, change_pk):
    if not has_role(request.user, DIRECTOR):
        raise Http404
    change = get_object_or_404(ClassificationChange, pk=change_pk)
    form = ClassificationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A decision needs its reasons in writing."))
        return redirect("loans:classification_queue")
    try:
        service.decide_classification(
            change=change,
            user=request.user,
            approve=form.approve,
            opinion=form.cleaned_data["opinion"],
        )
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("loans:classification_queue")
