from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Status
from applications.selectors import application_for, visible_applications
from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.roles import AUDITOR, DIRECTOR, DISBURSEMENT_SUPERVISOR, has_role
from loancenter.web import show_refusal

from .forms_disbursement import DisbursementForm
from .list_exports import DISBURSEMENTS
from .selectors_disbursement import unmet_by_application, with_precondition_rows
from .services.disbursement import disburse


@login_required
def disbursement_queue(request):
    if not (
        request.user.is_superuser
        or has_role(request.user, DISBURSEMENT_SUPERVISOR, DIRECTOR, AUDITOR)
    ):
        raise Http404
    applications = (
        visible_applications(request.user)
        .filter(status__in=[Status.READY, Status.REGISTERING, Status.CONTRACTED])
        .select_related("customer", "product")
        .order_by("updated_at")
    )
    if (
        export := export_response(
            request, with_precondition_rows(applications), DISBURSEMENTS, _("Disbursement")
        )
    ) is not None:
        return export
    page = Paginator(applications, 25).get_page(request.GET.get("page"))
    rows = unmet_by_application(page.object_list)
    return render(request, "loans/disbursement/queue.html", {"page": page, "rows": rows})


@require_POST
@login_required
def disbursement_post(request, pk):
    application = application_for(request.user, pk)
    form = DisbursementForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("applications:detail", pk=application.pk)
    try:
        account = disburse(user=request.user, application=application, **form.cleaned_data)
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("Disbursed. IOU %(number)s created.") % {"number": account.number}
        )
    return redirect("applications:detail", pk=application.pk)
