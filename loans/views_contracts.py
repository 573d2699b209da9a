"""Contracts (借款合同, 抵押/质押/保证合同), their signing (面签) and the IOU (借据) PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.selectors import application_for
from loancenter.errors import DomainError
from loancenter.pdf import pdf_response, render_pdf
from loancenter.web import show_refusal

from .forms_contracts import SigningForm
from .models import ContractKind, LoanAccount, LoanContract, SigningMode
from .panels_contracts import contract_actions
from .services import contracts as service


@require_POST
@login_required
def contracts_generate(request, pk):
    application = application_for(request.user, pk)
    try:
        contracts = service.generate_contracts(user=request.user, application=application)
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("Contracts generated: %(numbers)s.")
            % {"numbers": "、".join(contract.number for contract in contracts)},
        )
    return redirect("applications:detail", pk=application.pk)


@login_required
def contracts_sign(request, pk):
    application = application_for(request.user, pk)
    contracts = service.contracts_of(application)
    if "sign" not in contract_actions(request.user, application, contracts):
        raise Http404
    form = SigningForm(
        request.POST or None,
        initial={
            "signed_on": timezone.localdate(),
            "mode": SigningMode.IN_PERSON,
            "signers": service.suggested_signers(contracts),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.sign_contracts(user=request.user, application=application, **form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Signing recorded; the application is contracted."))
            return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "loans/contracts/sign.html",
        {
            "form": form,
            "application": application,
            "contracts": [(c, service.contract_title(c)) for c in contracts],
            "electronic_limit": service.ELECTRONIC_SIGNING_LIMIT,
        },
    )


@login_required
def contract_pdf(request, pk):
    contract = get_object_or_404(LoanContract.objects.select_related("application__product"), pk=pk)
    application_for(request.user, contract.application_id)  # 404 for those who may not see it
    with contract.pdf.open("rb") as stored:
        content = stored.read()
    return pdf_response(content, f"{service.contract_title(contract)}-{contract.number}.pdf")


@login_required
def iou_pdf(request, pk):
    account = get_object_or_404(
        LoanAccount.objects.select_related("officer", "disbursed_by", "product", "customer"), pk=pk
    )
    application = application_for(request.user, account.application_id)
    pdf = render_pdf(
        "loans/pdf/iou.html",
        {
            "account": account,
            "application": application,
            "customer": account.customer,
            "product": account.product,
            "lender": service.LENDER,
            "loan_contract": application.contracts.filter(kind=ContractKind.LOAN).first(),
            **service.rate_terms(account.annual_rate, account.penalty_uplift_percent),
            "supervisor": account.disbursed_by,
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        },
    )
    return pdf_response(pdf, f"借据-{account.number}.pdf")
