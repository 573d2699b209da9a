"""The reports page: ask for a report, watch its progress (htmx polling), download the PDF
and the XLSX. For the director and the auditor; anyone else gets 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.roles import AUDITOR, DIRECTOR, has_role
from loancenter.web import show_refusal

from . import services_reports
from .list_exports import REPORT_RUNS
from .models import ReportKind, ReportRun, ReportStatus

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
PAGE_SIZE = 20
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Report"),
        choices=ReportKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    period_start = forms.DateField(label=gettext_lazy("From"), widget=DATE)
    period_end = forms.DateField(label=gettext_lazy("To"), widget=DATE)


def _may_see(user) -> bool:
    return user.is_superuser or has_role(user, DIRECTOR, AUDITOR)


def _run_for(user, pk) -> ReportRun:
    if not _may_see(user):
        raise Http404
    return get_object_or_404(ReportRun.objects.select_related("requested_by"), pk=pk)


@login_required
def report_runs(request):
    if not _may_see(request.user):
        raise Http404
    start, end = services_reports.last_month(timezone.localdate())
    initial = {"kind": ReportKind.ASSET_QUALITY, "period_start": start, "period_end": end}
    form = ReportRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            run = services_reports.request_report(user=request.user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The report is being generated."))
            return redirect("reports:report_run", pk=run.pk)
    runs = ReportRun.objects.select_related("requested_by")
    kind = request.GET.get("kind", "")
    if kind in ReportKind.values:
        runs = runs.filter(kind=kind)
    if (export := export_response(request, runs, REPORT_RUNS, _("Reports"))) is not None:
        return export
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/runs/list.html",
        {"form": form, "page": page, "kind": kind, "kinds": ReportKind.choices},
    )


@login_required
def report_run(request, pk):
    run = _run_for(request.user, pk)
    return render(request, "reports/runs/detail.html", {"run": run})


@login_required
def report_run_progress(request, pk):
    """The small partial the run page polls every second until the run is finished."""
    run = _run_for(request.user, pk)
    return render(request, "reports/runs/_progress.html", {"run": run})


@login_required
def report_run_file(request, pk, fmt):
    run = _run_for(request.user, pk)
    stored = getattr(run, fmt, None) if fmt in CONTENT_TYPES else None
    if run.status != ReportStatus.DONE or not stored:
        raise Http404
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=services_reports.file_name(run, fmt),
        content_type=CONTENT_TYPES[fmt],
    )
    response["Cache-Control"] = "private, no-store"
    return response


def register_runs():
    """Navigation and audit labels; called from ``ReportsConfig.ready``."""
    from loancenter import audit, navigation

    navigation.register(
        navigation.NavItem(
            "report_runs",
            gettext_lazy("Reports"),
            "reports:report_runs",
            roles=frozenset({DIRECTOR, AUDITOR}),
            order=80,
            group="reports",
        )
    )
    audit.register_labels({"request_report": gettext_lazy("Report asked for")})
