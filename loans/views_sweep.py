from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.roles import AUDITOR, DIRECTOR, has_role
from loancenter.web import show_refusal

from .list_exports import SWEEP_RUNS
from .models import SweepRun
from .sweep import catch_up, dates_to_sweep


def _may_read(user) -> bool:
    return has_role(user, DIRECTOR) or has_role(user, AUDITOR)


def _may_run_here(user) -> bool:
    """The button is for the embedded set-up, where no beat runs the sweep at night."""
    return has_role(user, DIRECTOR) and settings.CELERY_TASK_ALWAYS_EAGER


@login_required
def sweep_runs(request):
    if not _may_read(request.user):
        raise PermissionDenied
    runs = SweepRun.objects.select_related("started_by")
    if (export := export_response(request, runs, SWEEP_RUNS, _("Overdue sweep"))) is not None:
        return export
    page = Paginator(runs, 30).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "loans/sweep/runs.html",
        {
            "page": page,
            "today": today,
            "missing": dates_to_sweep(today),
            "may_run": _may_run_here(request.user),
        },
    )


@login_required
@require_POST
def run_sweep_now(request):
    if not _may_run_here(request.user):
        raise PermissionDenied
    try:
        runs = catch_up(through=timezone.localdate(), user=request.user)
    except DomainError as error:
        show_refusal(request, error)
    else:
        done = [run for run in runs if not run.already_done]
        if done:
            messages.success(
                request,
                _("The overdue sweep ran for %(count)s business date(s), up to %(date)s.")
                % {"count": len(done), "date": f"{done[-1].business_date:%Y-%m-%d}"},
            )
        else:
            messages.info(request, _("Today has already been swept; nothing changed."))
    return redirect("loans:sweep_runs")
