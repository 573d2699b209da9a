"""The director's dashboard (the auditor reads it): approvals waiting, the pipeline, asset
quality against the alert levels, charts with their figures, officers' targets and
collections outcomes."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from . import selectors_dashboard


@login_required
def dashboard(request):
    if not selectors_dashboard.reads_dashboard(request.user):
        raise Http404
    context = selectors_dashboard.dashboard(request.user)
    return render(request, "reports/dashboard/dashboard.html", context)
