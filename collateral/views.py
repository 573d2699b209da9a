from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.documents import inspect_upload
from applications.selectors import application_for
from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.roles import (
    AUDITOR,
    DIRECTOR,
    DISBURSEMENT_SUPERVISOR,
    MORTGAGE_REGISTRAR,
    has_role,
)
from loancenter.web import show_refusal

from . import selectors, services
from .forms import (
    CollateralForm,
    CompleteRegistrationForm,
    InsurancePolicyForm,
    LedgerFilterForm,
    NotarisationForm,
    SubmitRegistrationForm,
)
from .list_exports import LEDGER
from .models import Collateral, MortgageRegistration


def _form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _on_application(request, pk, form_class, action, done, files=False):
    """Validate a form posted from the application page and run one service."""
    application = application_for(request.user, pk)
    form = form_class(request.POST, request.FILES if files else None)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            action(application, form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, done)
    return redirect("applications:detail", pk=application.pk)


@require_POST
@login_required
def collateral_add(request, pk):
    def add(application, data):
        report = data.pop("valuation_report", None)
        if report is not None:
            inspect_upload(report)
        services.add_collateral(
            user=request.user, application=application, data=data, valuation_report=report
        )

    return _on_application(request, pk, CollateralForm, add, _("Collateral recorded."), True)


@require_POST
@login_required
def collateral_remove(request, pk, collateral_pk):
    application = application_for(request.user, pk)
    collateral = get_object_or_404(Collateral, pk=collateral_pk, application=application)
    try:
        services.remove_collateral(user=request.user, collateral=collateral)
    except DomainError as error:
        show_refusal(request, error)
    return redirect("applications:detail", pk=application.pk)


@login_required
def valuation_report(request, pk, collateral_pk):
    application = application_for(request.user, pk)
    collateral = get_object_or_404(Collateral, pk=collateral_pk, application=application)
    if not collateral.valuation_report:
        raise Http404
    response = FileResponse(collateral.valuation_report.open("rb"))
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def policy_add(request, pk):
    def add(application, data):
        services.record_insurance_policy(user=request.user, application=application, data=data)

    return _on_application(request, pk, InsurancePolicyForm, add, _("Policy recorded."))


@require_POST
@login_required
def notarisation_add(request, pk):
    def add(application, data):
        services.record_notarisation(user=request.user, application=application, data=data)

    return _on_application(request, pk, NotarisationForm, add, _("Notarisation recorded."))


def _registration_step(request, registration_pk, form_class, step, done):
    registration = get_object_or_404(MortgageRegistration, pk=registration_pk)
    application = application_for(request.user, registration.application_id)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            step(registration, form.cleaned_data if form else {})
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, done)
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("applications:detail", pk=application.pk)


@require_POST
@login_required
def registration_submit(request, registration_pk):
    return _registration_step(
        request,
        registration_pk,
        SubmitRegistrationForm,
        lambda r, d: services.submit_registration(user=request.user, registration=r, **d),
        _("Submitted to the registry."),
    )


@require_POST
@login_required
def registration_complete(request, registration_pk):
    return _registration_step(
        request,
        registration_pk,
        CompleteRegistrationForm,
        lambda r, d: services.complete_registration(user=request.user, registration=r, **d),
        _("Registration recorded."),
    )


@require_POST
@login_required
def registration_hand_over(request, registration_pk):
    return _registration_step(
        request,
        registration_pk,
        None,
        lambda r, d: services.hand_over_certificate(user=request.user, registration=r),
        _("Certificate handed over; the disbursement supervisor must confirm receipt."),
    )


@require_POST
@login_required
def registration_receive(request, registration_pk):
    return _registration_step(
        request,
        registration_pk,
        None,
        lambda r, d: services.confirm_certificate_received(user=request.user, registration=r),
        _("Certificate received."),
    )


def _may_read_registrations(user):
    return user.is_superuser or has_role(
        user, MORTGAGE_REGISTRAR, DISBURSEMENT_SUPERVISOR, DIRECTOR, AUDITOR
    )


@login_required
def queue(request):
    """The registrar's ledger (台帐): every registration, filtered, exportable."""
    if not _may_read_registrations(request.user):
        raise Http404
    form = LedgerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.registrations(
        status=filters.get("status", ""),
        office=filters.get("office", ""),
        overdue=filters.get("overdue", False),
        search=filters.get("q", ""),
    )
    if (
        export := export_response(request, rows, LEDGER, _("Mortgage registration ledger"))
    ) is not None:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "collateral/ledger.html", {"form": form, "page": page})
