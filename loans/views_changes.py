from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.roles import APPROVER, AUDITOR, DIRECTOR, LOAN_OFFICER, REVIEWER, has_role
from loancenter.web import show_refusal

from .forms_changes import ChangeDecisionForm, ChangeRequestForm
from .list_exports import CHANGES
from .models import ChangeRequest, ChangeStatus
from .selectors_accounts import account_for
from .services import changes


@login_required
def change_request(request, pk):
    """The officer asks for a change; "quote" shows the figures without saving anything."""
    account = account_for(request.user, pk)
    if account.officer_id != request.user.pk or not has_role(request.user, LOAN_OFFICER):
        raise Http404
    form = ChangeRequestForm(request.POST or None)
    quote = None
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            if request.POST.get("action") == "quote":
                quote = changes.quote(
                    account,
                    kind=data["kind"],
                    on=data["effective_on"],
                    amount=data.get("amount"),
                    option=data.get("option", ""),
                    extra_months=data.get("extra_months"),
                )
            else:
                changes.request_change(
                    user=request.user, account=account, kind=data.pop("kind"), data=data
                )
                messages.success(request, _("The change has been sent to the reviewer."))
                return redirect("loans:account_changes", pk=account.pk)
        except DomainError as error:
            show_refusal(request, error)
        except (TypeError, ValueError):
            messages.error(request, _("These figures cannot be quoted; check them."))
    history = account.change_requests.select_related("requested_by", "reviewed_by", "approved_by")
    return render(
        request,
        "loans/changes/request.html",
        {"account": account, "form": form, "quote": quote, "history": history},
    )


@login_required
def account_changes(request, pk):
    account = account_for(request.user, pk)
    history = account.change_requests.select_related("requested_by", "reviewed_by", "approved_by")
    return render(
        request,
        "loans/changes/history.html",
        {"account": account, "history": history, "may_ask": account.officer_id == request.user.pk},
    )


def _may_decide(user) -> bool:
    return user.is_superuser or has_role(user, REVIEWER, APPROVER, DIRECTOR, AUDITOR)


@login_required
def change_queue(request):
    if not _may_decide(request.user):
        raise Http404
    waiting = []
    if has_role(request.user, REVIEWER):
        waiting.append(ChangeStatus.PENDING_REVIEW)
    if has_role(request.user, APPROVER, DIRECTOR):
        waiting.append(ChangeStatus.PENDING_APPROVAL)
    rows = ChangeRequest.objects.select_related("account__customer", "requested_by")
    if request.GET.get("scope") != "all":
        rows = rows.filter(status__in=waiting)
    rows = rows.order_by("requested_at", "pk")
    if (
        export := export_response(request, rows, CHANGES, _("Changes after disbursement"))
    ) is not None:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "loans/changes/queue.html", {"page": page})


@login_required
def change_decide(request, change_pk):
    change = get_object_or_404(ChangeRequest.objects.select_related("account"), pk=change_pk)
    account = account_for(request.user, change.account_id)
    step = None
    if change.status == ChangeStatus.PENDING_REVIEW and has_role(request.user, REVIEWER):
        step = changes.review_change
    elif change.status == ChangeStatus.PENDING_APPROVAL and has_role(
        request.user, APPROVER, DIRECTOR
    ):
        step = changes.approve_change
    form = ChangeDecisionForm(request.POST or None) if step else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            step(user=request.user, change=change, **form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("loans:change_queue")
    return render(
        request, "loans/changes/decide.html", {"change": change, "account": account, "form": form}
    )
