from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loancenter.errors import DomainError
from loancenter.pdf import pdf_response, render_pdf
from loancenter.web import show_refusal

from . import selectors, services
from .actions import available_actions
from .forms import SurveyForm
from .rules import payment_to_income


@require_POST
@login_required
def survey_claim(request, pk):
    application = selectors.application_for(request.user, pk)
    try:
        services.claim_survey(user=request.user, application=application)
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("You took %(number)s for survey.") % {"number": application.number}
        )
    return redirect("applications:detail", pk=application.pk)


@login_required
def survey_confirm(request, pk):
    application = selectors.application_for(request.user, pk)
    if "confirm_survey" not in available_actions(request.user, application):
        raise Http404
    initial = {
        "interview_date": timezone.localdate(),
        "recommended_amount": application.amount,
        "recommended_term_months": application.term_months,
        "recommended_rate": application.annual_rate,
        "onsite_visit_done": bool(application.onsite_survey_required),
    }
    form = SurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_survey(
                user=request.user, application=application, data=form.cleaned_data
            )
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Survey confirmed."))
            return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "applications/survey_form.html",
        {
            "form": form,
            "application": application,
            "payment_to_income": payment_to_income(application),
        },
    )


@login_required
def survey_report_pdf(request, pk):
    application = selectors.application_for(request.user, pk)
    confirmations = application.survey_confirmations.select_related("investigator")
    if not confirmations:
        raise Http404
    pdf = render_pdf(
        "applications/pdf/survey_report.html",
        {
            "application": application,
            "customer": application.customer,
            "confirmations": confirmations,
            "guarantors": application.guarantors.all(),
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        },
    )
    return pdf_response(pdf, f"调查报告-{application.number}.pdf")
