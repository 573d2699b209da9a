"""Insurance claims and lawsuits on the case page (collections officers, past 90 days)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import forms_cases as forms
from . import selectors_cases as selectors
from .services import claims, legal
from .views_cases import handle

LAWSUIT_STEPS = {
    "judgment": (forms.JudgmentForm, legal.record_judgment, gettext_lazy("Judgment recorded.")),
    "enforcement": (
        forms.EnforcementForm,
        legal.record_enforcement,
        gettext_lazy("Enforcement recorded."),
    ),
    "proceeds": (
        forms.ProceedsForm,
        legal.record_court_proceeds,
        gettext_lazy("Court proceeds recorded."),
    ),
}


@require_POST
@login_required
def claim_file(request, pk):
    case = selectors.case_for(request.user, pk)
    return handle(
        request,
        case,
        "claim",
        forms.ClaimForm(request.POST, prefix="claim"),
        lambda data: claims.file_claim(case=case, user=request.user, **data),
        _("Insurance claim filed."),
    )


@require_POST
@login_required
def claim_outcome(request, pk, claim_pk):
    case = selectors.case_for(request.user, pk)
    claim = get_object_or_404(case.claims, pk=claim_pk)
    key = f"outcome-{claim.pk}"
    return handle(
        request,
        case,
        key,
        forms.ClaimOutcomeForm(request.POST, prefix=key),
        lambda data: claims.record_claim_outcome(claim=claim, user=request.user, **data),
        _("Claim outcome recorded."),
    )


@require_POST
@login_required
def lawsuit_file(request, pk):
    case = selectors.case_for(request.user, pk)
    return handle(
        request,
        case,
        "lawsuit",
        forms.LawsuitForm(request.POST, prefix="lawsuit"),
        lambda data: legal.file_lawsuit(case=case, user=request.user, **data),
        _("Lawsuit recorded."),
    )


@require_POST
@login_required
def lawsuit_step(request, pk, lawsuit_pk, step):
    case = selectors.case_for(request.user, pk)
    lawsuit = get_object_or_404(case.lawsuits, pk=lawsuit_pk)
    if step not in LAWSUIT_STEPS:
        raise Http404
    form_class, service, success = LAWSUIT_STEPS[step]
    key = f"{step}-{lawsuit.pk}"
    return handle(
        request,
        case,
        key,
        form_class(request.POST, prefix=key),
        lambda data: service(lawsuit=lawsuit, user=request.user, **data),
        str(success),
    )
