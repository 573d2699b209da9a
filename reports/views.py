"""The credit file (资信档案), the re-rating queue and decision, and the scorecard validation
report with its CSV and XLSX exports."""

import csv
from io import BytesIO, StringIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from applications.selectors import sees_full_identity
from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.roles import REVIEWER, has_role
from loancenter.web import show_refusal

from . import selectors
from .forms import RatingDecisionForm, ValidationFilterForm
from .list_exports import RATINGS
from .models import RatingStatus
from .rating import confirm_rating, current_rating

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def credit_file(request, pk):
    customer = selectors.credit_file_customer(request.user, pk)
    context = selectors.credit_file(request.user, customer)
    context["full_identity"] = sees_full_identity(request.user)
    context["reads_ratings"] = selectors.reads_ratings(request.user)
    return render(request, "reports/credit_file.html", context)


@login_required
def rating_queue(request):
    if not selectors.reads_ratings(request.user):
        raise Http404
    scope = "all" if request.GET.get("scope") == "all" else "pending"
    rows = selectors.rating_queue(scope=scope)
    if (export := export_response(request, rows, RATINGS, _("Credit grade changes"))) is not None:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "reports/rating_queue.html", {"page": page, "scope": scope})


@login_required
def rating_decide(request, pk):
    rating = selectors.rating_for(request.user, pk)
    may_decide = rating.status == RatingStatus.PROPOSED and has_role(request.user, REVIEWER)
    form = RatingDecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            confirm_rating(user=request.user, rating=rating, **form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Your decision on the grade is recorded."))
            return redirect("reports:rating_queue")
    context = {
        "rating": rating,
        "customer": rating.customer,
        "current": current_rating(rating.customer),
        "form": form,
        "breakdown": selectors.breakdown_labels(rating.breakdown),
        "full_identity": sees_full_identity(request.user),
    }
    return render(request, "reports/rating_decide.html", context)


@login_required
def validation_report(request):
    if not selectors.reads_validation(request.user):
        raise Http404
    form = ValidationFilterForm(request.GET or None)
    scorecard = form.cleaned_data["scorecard"] if form.is_valid() else None
    report = selectors.validation_report(scorecard=scorecard)
    export = request.GET.get("export")
    if export == "csv":
        return _download(validation_csv(report), "text/csv; charset=utf-8", report, "csv")
    if export == "xlsx":
        return _download(validation_workbook(report), XLSX, report, "xlsx")
    return render(request, "reports/validation_report.html", {"form": form, "report": report})


def _download(content: bytes, content_type: str, report, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"评分卡验证-{report.on:%Y%m%d}.{extension}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


def validation_rows(report) -> list[list]:
    """The report as rows (a header, one row per grade, the total), in Chinese: a bank paper
    whatever language the user chose."""
    with translation.override("zh-hans"):
        header = [
            _("Grade"),
            _("Loans"),
            _("Share (%)"),
            _("Bad loans (ever 90+ days past due)"),
            _("Bad rate (%)"),
        ]
        unscored, total = _("Unscored"), _("Total")
    body = [
        [row.grade or unscored, row.loans, row.share, row.bad, row.bad_rate] for row in report.rows
    ]
    last = report.total
    return [header, *body, [total, last.loans, last.share, last.bad, last.bad_rate]]


def validation_csv(report) -> bytes:
    out = StringIO()
    writer = csv.writer(out)
    for row in validation_rows(report):
        writer.writerow(["" if value is None else value for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM lets Excel read UTF-8


def validation_workbook(report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "评分卡验证"
    for row in validation_rows(report):
        sheet.append(row)
    for cell in (*sheet[1], *sheet[sheet.max_row]):
        cell.font = Font(bold=True)
    for cells in sheet.iter_rows(min_row=2, min_col=3, max_col=5):
        for cell in cells:
            if cell.column in (3, 5):
                cell.number_format = "0.00"
    for letter in "ABCDE":
        sheet.column_dimensions[letter].width = 18
    sheet.freeze_panes = "A2"
    output = BytesIO()
    book.save(output)
    return output.getvalue()
