from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loancenter import audit
from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.roles import LOAN_OFFICER, has_role
from loancenter.web import show_refusal

from . import list_exports, selectors, services
from .actions import available_actions
from .catalog import DocumentKind, labels
from .forms import (
    ApplicationForm,
    CustomerForm,
    DocumentForm,
    GuarantorForm,
    QueueFilterForm,
    ReasonForm,
)
from .models import ApplicationDocument, Guarantor
from .panels import panels_for
from .rules import missing_documents, payment_to_income

# --- customers -----------------------------------------------------------------------------


@login_required
def customer_list(request):
    search = request.GET.get("q", "").strip()
    customers = selectors.visible_customers(request.user).select_related("officer")
    if search:
        customers = customers.filter(Q(name__icontains=search) | Q(id_number=search.upper()))
    customers = customers.order_by("-created_at", "-pk")
    if (
        export := export_response(request, customers, list_exports.CUSTOMERS, _("Customers"))
    ) is not None:
        return export
    page = Paginator(customers, 25).get_page(request.GET.get("page"))
    return render(request, "applications/customer_list.html", {"page": page, "q": search})


@login_required
def customer_create(request):
    if not has_role(request.user, LOAN_OFFICER):
        raise Http404
    form = CustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.create_customer(user=request.user, data=form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Customer %(name)s recorded.") % {"name": customer.name})
            return redirect("applications:customer_detail", pk=customer.pk)
    return render(request, "applications/customer_form.html", {"form": form})


@login_required
def customer_detail(request, pk):
    customer = selectors.customer_for(request.user, pk)
    applications = selectors.visible_applications(request.user).filter(customer=customer)
    return render(
        request,
        "applications/customer_detail.html",
        {
            "customer": customer,
            "applications": applications.select_related("product").order_by("-created_at"),
            "full_identity": selectors.sees_full_identity(request.user),
            "can_edit": customer.officer_id == request.user.pk,
        },
    )


@login_required
def customer_edit(request, pk):
    customer = selectors.customer_for(request.user, pk)
    if customer.officer_id != request.user.pk:
        raise Http404
    form = CustomerForm(request.POST or None, instance=customer)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_customer(user=request.user, customer=customer, data=form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Customer updated."))
            return redirect("applications:customer_detail", pk=customer.pk)
    return render(request, "applications/customer_form.html", {"form": form, "customer": customer})


# --- applications --------------------------------------------------------------------------


@login_required
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    applications = selectors.work_queue(
        request.user,
        search=filters.get("q", ""),
        status=filters.get("status", ""),
        product=filters.get("product", ""),
        scope=filters.get("scope") or "todo",
        order=filters.get("order") or "-created_at",
    )
    if (
        export := export_response(
            request, applications, list_exports.APPLICATIONS, _("Applications")
        )
    ) is not None:
        return export
    page = Paginator(applications, 25).get_page(request.GET.get("page"))
    return render(request, "applications/queue.html", {"form": form, "page": page})


@login_required
def application_create(request):
    if not has_role(request.user, LOAN_OFFICER):
        raise Http404
    customer_pk = request.GET.get("customer") or request.POST.get("customer") or ""
    if not customer_pk.isdigit() or len(customer_pk) > 18:
        raise Http404
    customer = get_object_or_404(
        selectors.visible_customers(request.user).filter(officer=request.user), pk=customer_pk
    )
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_application(
                user=request.user, customer=customer, data=form.cleaned_data
            )
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(
                request, _("Application %(number)s created.") % {"number": application.number}
            )
            return redirect("applications:detail", pk=application.pk)
    return render(
        request, "applications/application_form.html", {"form": form, "customer": customer}
    )


@login_required
def application_edit(request, pk):
    application = selectors.application_for(request.user, pk)
    if "edit" not in available_actions(request.user, application):
        raise Http404
    form = ApplicationForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_application(
                user=request.user, application=application, data=form.cleaned_data
            )
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Application updated."))
            return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "applications/application_form.html",
        {"form": form, "customer": application.customer, "application": application},
    )


@login_required
def application_detail(request, pk):
    application = selectors.application_for(request.user, pk)
    actions = available_actions(request.user, application)
    context = {
        "application": application,
        "actions": actions,
        "full_identity": selectors.sees_full_identity(request.user),
        "documents": application.documents.select_related("uploaded_by"),
        "missing_documents": labels(DocumentKind, missing_documents(application)),
        "guarantors": application.guarantors.all(),
        "confirmations": application.survey_confirmations.select_related("investigator"),
        "events": audit.events_for(application),
        "panels": panels_for(request.user, application),
        "document_form": DocumentForm(auto_id="document_%s") if "upload" in actions else None,
        "guarantor_form": GuarantorForm(auto_id="guarantor_%s")
        if "guarantors" in actions
        else None,
        "reason_form": ReasonForm() if "withdraw" in actions else None,
    }
    if application.customer.monthly_income:
        context["payment_to_income"] = payment_to_income(application)
    return render(request, "applications/application_detail.html", context)


def _act(request, pk, action):
    """Run one POST action on an application; refusals become messages on its page."""
    application = selectors.application_for(request.user, pk)
    try:
        action(application)
    except DomainError as error:
        show_refusal(request, error)
    return redirect("applications:detail", pk=application.pk)


@require_POST
@login_required
def application_submit(request, pk):
    def submit(application):
        services.submit_application(user=request.user, application=application)
        messages.success(request, _("Submitted for survey."))

    return _act(request, pk, submit)


@require_POST
@login_required
def application_withdraw(request, pk):
    def withdraw(application):
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.withdraw_application(user=request.user, application=application, reason=reason)
        messages.success(request, _("Application withdrawn."))

    return _act(request, pk, withdraw)


@require_POST
@login_required
def guarantor_add(request, pk):
    def add(application):
        form = GuarantorForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return
        services.add_guarantor(user=request.user, application=application, data=form.cleaned_data)
        messages.success(request, _("Guarantor added."))

    return _act(request, pk, add)


@require_POST
@login_required
def guarantor_remove(request, pk, guarantor_pk):
    def remove(application):
        guarantor = get_object_or_404(Guarantor, pk=guarantor_pk, application=application)
        services.remove_guarantor(user=request.user, guarantor=guarantor)
        messages.success(request, _("Guarantor removed."))

    return _act(request, pk, remove)


@require_POST
@login_required
def document_upload(request, pk):
    def upload(application):
        form = DocumentForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return
        services.upload_document(
            user=request.user,
            application=application,
            kind=form.cleaned_data["kind"],
            uploaded=form.cleaned_data["file"],
        )
        messages.success(request, _("Document uploaded."))

    return _act(request, pk, upload)


@login_required
def document_download(request, pk, document_pk):
    application = selectors.application_for(request.user, pk)
    document = get_object_or_404(ApplicationDocument, pk=document_pk, application=application)
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=document.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
