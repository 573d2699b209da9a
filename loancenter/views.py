from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health, selectors
from .exports import export_response
from .forms import AuditFilterForm
from .list_exports import AUDIT_EVENTS
from .roles import AUDITOR, DIRECTOR, has_role


@require_GET
@never_cache
def healthz(request):
    healthy, states = health.report()
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": states},
        status=200 if healthy else 503,
    )


@login_required
def inbox(request):
    from .models import Notification
    from .notifications import mark_read

    page = Paginator(Notification.objects.filter(recipient=request.user), 30).get_page(
        request.GET.get("page")
    )
    response = render(request, "loancenter/inbox.html", {"page": page})
    mark_read(request.user)
    return response


@login_required
def home(request):
    if has_role(request.user, DIRECTOR):
        return redirect("reports:dashboard")  # the director's home is the dashboard
    return render(request, "loancenter/home.html")


def can_read_audit_trail(user) -> bool:
    return user.is_superuser or has_role(user, AUDITOR, DIRECTOR)


@login_required
def audit_log(request):
    if not can_read_audit_trail(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_events(filters=form.cleaned_data if form.is_valid() else {})
    if (export := export_response(request, events, AUDIT_EVENTS, _("Audit trail"))) is not None:
        return export
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "loancenter/audit_log.html", {"form": form, "page": page})
