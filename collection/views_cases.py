"""The case queue and the case page, with the collector's forms: actions, promises, demand
letters and recoveries. Claims and lawsuits are in views_legal, write-off in views_writeoff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.pdf import pdf_response
from loancenter.web import show_refusal

from . import forms_cases as forms
from . import selectors_cases as selectors
from .list_exports import CASES
from .models import ClaimStatus, LegalStage
from .services import cases as case_services
from .services.recoveries import record_recovery

PAGE_SIZE = 25


@login_required
def case_list(request):
    if not selectors.may_use_cases(request.user):
        raise Http404
    form = forms.CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(
        request.user,
        bucket=filters.get("bucket", ""),
        track=filters.get("track", ""),
        status=filters.get("status") or "open",
        search=filters.get("q", ""),
    )
    if (export := export_response(request, cases, CASES, _("Collection cases"))) is not None:
        return export
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "collection/cases/case_list.html",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            "write_off_queue": selectors.may_use_write_offs(request.user),
        },
    )


@login_required
def case_detail(request, pk):
    return render_case(request, selectors.case_for(request.user, pk))


def render_case(request, case, *, bound: dict | None = None):
    """The case page; ``bound`` holds a refused form by its key, to show it with its input."""
    data = selectors.case_page(request.user, case)
    allowed = data["allowed"]
    defaults = {
        "action": lambda: forms.ActionForm(prefix="action"),
        "promise": lambda: forms.PromiseForm(prefix="promise"),
        "claim": lambda: forms.ClaimForm(prefix="claim"),
        "lawsuit": lambda: forms.LawsuitForm(prefix="lawsuit"),
        "write_off": lambda: forms.WriteOffRequestForm(prefix="writeoff"),
        "recovery": lambda: forms.RecoveryForm(prefix="recovery"),
    }
    if data["guarantors"]:
        guarantors = case.account.application.guarantors.order_by("pk")
        defaults["demand"] = lambda: forms.DemandLetterForm(prefix="demand", guarantors=guarantors)
    bound = bound or {}
    page_forms = {key: bound.get(key) or make() for key, make in defaults.items() if key in allowed}
    for claim in data["claims"]:
        claim.form = None
        if "claim_outcome" in allowed and claim.status == ClaimStatus.FILED:
            key = f"outcome-{claim.pk}"
            claim.form = bound.get(key) or forms.ClaimOutcomeForm(prefix=key)
    for lawsuit in data["lawsuits"]:
        lawsuit.forms = _lawsuit_forms(lawsuit, bound) if "lawsuit_steps" in allowed else {}
    return render(request, "collection/cases/case_detail.html", {**data, "forms": page_forms})


def _lawsuit_forms(lawsuit, bound: dict) -> dict:
    steps = {
        LegalStage.FILED: {"judgment": forms.JudgmentForm},
        LegalStage.JUDGED: {"enforcement": forms.EnforcementForm, "proceeds": forms.ProceedsForm},
        LegalStage.ENFORCING: {
            "enforcement": forms.EnforcementForm,
            "proceeds": forms.ProceedsForm,
        },
        LegalStage.CLOSED: {"proceeds": forms.ProceedsForm},
    }[lawsuit.stage]
    made = {}
    for step, form_class in steps.items():
        key = f"{step}-{lawsuit.pk}"
        made[step] = bound.get(key) or form_class(prefix=key)
    return made


def handle(request, case, key: str, form, perform, success: str):
    """Run ``perform(cleaned_data)`` for a valid form; back to the case page, or the page again
    with the form and the refusal."""
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, success)
            return redirect("collection:case_detail", pk=case.pk)
    return render_case(request, case, bound={key: form})


@require_POST
@login_required
def action_record(request, pk):
    case = selectors.case_for(request.user, pk)
    return handle(
        request,
        case,
        "action",
        forms.ActionForm(request.POST, prefix="action"),
        lambda data: case_services.record_action(case=case, user=request.user, **data),
        _("Action recorded."),
    )


@require_POST
@login_required
def promise_record(request, pk):
    case = selectors.case_for(request.user, pk)
    return handle(
        request,
        case,
        "promise",
        forms.PromiseForm(request.POST, prefix="promise"),
        lambda data: case_services.record_promise(case=case, user=request.user, **data),
        _("Promise to pay recorded."),
    )


@require_POST
@login_required
def demand_letter(request, pk):
    case = selectors.case_for(request.user, pk)
    guarantors = case.account.application.guarantors.order_by("pk")
    form = forms.DemandLetterForm(request.POST, prefix="demand", guarantors=guarantors)
    if form.is_valid():
        try:
            number, pdf = case_services.demand_letter(
                case=case,
                user=request.user,
                guarantor=form.cleaned_data["guarantor"],
                pay_by=form.cleaned_data["pay_by"],
            )
        except DomainError as error:
            show_refusal(request, error)
        else:
            return pdf_response(pdf, f"催收通知书-{number}.pdf", inline=False)
    return render_case(request, case, bound={"demand": form})


@require_POST
@login_required
def recovery_record(request, pk):
    case = selectors.case_for(request.user, pk)
    form = forms.RecoveryForm(request.POST, prefix="recovery")

    def perform(data):
        recovery = record_recovery(account=case.account, user=request.user, **data)
        if getattr(recovery, "already_recorded", False):
            messages.info(request, _("This reference was already recorded; nothing changed."))

    return handle(request, case, "recovery", form, perform, _("Recovery recorded."))
