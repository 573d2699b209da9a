from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import selectors as application_selectors
from applications.rules import payment_to_income
from loancenter.errors import DomainError
from loancenter.pdf import pdf_response, render_pdf
from loancenter.web import show_refusal

from . import services
from .authority import acting_role_for, limit_for
from .forms import DecisionForm, ReviewForm
from .scoring import latest_score
from .selectors import review_actions


def _form_page(request, pk, *, action, form_class, initial, service, template, done):
    application = application_selectors.application_for(request.user, pk)
    if action not in review_actions(request.user, application):
        raise Http404
    form = form_class(request.POST or None, initial=initial(application))
    if request.method == "POST" and form.is_valid():
        try:
            service(user=request.user, application=application, data=form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, done)
            return redirect("applications:detail", pk=application.pk)
    role = acting_role_for(request.user, application)
    return render(
        request,
        template,
        {
            "form": form,
            "application": application,
            "confirmations": application.survey_confirmations.select_related("investigator"),
            "opinions": application.review_opinions.select_related("reviewer"),
            "payment_to_income": payment_to_income(application),
            "my_limit": limit_for(request.user, application.product, role) if role else None,
            "score": latest_score(application),
        },
    )


def _review_initial(application):
    return {
        "proposed_amount": application.amount,
        "proposed_term_months": application.term_months,
        "proposed_rate": application.annual_rate,
        "proposed_method": application.repayment_method,
    }


def _decision_initial(application):
    opinion = application.review_opinions.last()
    return {
        "amount": opinion.proposed_amount if opinion else application.amount,
        "term_months": opinion.proposed_term_months if opinion else application.term_months,
        "annual_rate": opinion.proposed_rate if opinion else application.annual_rate,
        "repayment_method": opinion.proposed_method if opinion else application.repayment_method,
        "security_type": application.security_type,
    }


@login_required
def review(request, pk):
    return _form_page(
        request,
        pk,
        action="review",
        form_class=ReviewForm,
        initial=_review_initial,
        service=services.review_application,
        template="review/review_form.html",
        done=_("Review opinion recorded."),
    )


@login_required
def decide(request, pk):
    return _form_page(
        request,
        pk,
        action="decide",
        form_class=DecisionForm,
        initial=_decision_initial,
        service=services.decide_application,
        template="review/decision_form.html",
        done=_("Decision recorded."),
    )


@login_required
def approval_sheet_pdf(request, pk):
    application = application_selectors.application_for(request.user, pk)
    if not application.review_opinions.exists():
        raise Http404
    pdf = render_pdf(
        "review/pdf/approval_sheet.html",
        {
            "application": application,
            "customer": application.customer,
            "confirmations": application.survey_confirmations.select_related("investigator"),
            "opinions": application.review_opinions.select_related("reviewer"),
            "decisions": application.approval_decisions.select_related("decided_by"),
            "final": services.final_decision(application),
            "scores": application.scores.select_related("scorecard"),
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        },
    )
    return pdf_response(pdf, f"审批表-{application.number}.pdf")
