"""Post-loan check pages: the officer's queue and one check with its form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.roles import LOAN_OFFICER, has_role
from loancenter.web import show_refusal

from . import selectors_checks as selectors
from .forms_checks import CheckFilterForm, CheckForm
from .list_exports import CHECKS
from .models import PostLoanCheck
from .services_checks import record_check, signal_labels


@login_required
def check_list(request):
    if not selectors.reads_checks(request.user):
        raise Http404
    form = CheckFilterForm(request.GET or None)
    show = (form.cleaned_data.get("show") if form.is_valid() else "") or selectors.DUE
    today = timezone.localdate()
    checks = selectors.check_list(request.user, show=show, today=today)
    if (export := export_response(request, checks, CHECKS, _("Post-loan checks"))) is not None:
        return export
    page = Paginator(checks, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "collection/checks/list.html",
        {"form": form, "page": page, "show": show, "today": today},
    )


def _may_record(user, check: PostLoanCheck) -> bool:
    return (
        check.done_on is None
        and check.account.officer_id == user.pk
        and has_role(user, LOAN_OFFICER)
    )


@login_required
def check_detail(request, pk):
    check = selectors.check_for(request.user, pk)
    form = CheckForm(request.POST or None) if _may_record(request.user, check) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                record_check(check=check, user=request.user, **form.cleaned_data)
            except DomainError as error:
                show_refusal(request, error)
            else:
                messages.success(request, _("The check has been recorded."))
                return redirect("collection:check_detail", pk=check.pk)
    earlier = list(
        PostLoanCheck.objects.filter(account_id=check.account_id)
        .exclude(pk=check.pk)
        .select_related("done_by")
        .order_by("-sequence")
    )
    for item in earlier:
        item.signal_labels = signal_labels(item.risk_signals)
    return render(
        request,
        "collection/checks/detail.html",
        {
            "check": check,
            "account": check.account,
            "signals": signal_labels(check.risk_signals),
            "earlier": earlier,
            "form": form,
            "today": timezone.localdate(),
        },
    )
