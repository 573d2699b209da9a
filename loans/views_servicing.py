"""Servicing pages: the account list, the statement with its exports, repayments and receipts,
and the repayment calculator (试算)."""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from applications.selectors import sees_full_identity
from loancenter.errors import DomainError
from loancenter.exports import export_response
from loancenter.pdf import pdf_response, render_pdf
from loancenter.repayment import build_schedule
from loancenter.web import show_refusal

from . import list_exports
from . import selectors_accounts as selectors
from .forms_servicing import AccountFilterForm, CalculatorForm, RepaymentForm
from .services.repayments import may_post_repayment, post_repayment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"

# --- accounts ------------------------------------------------------------------------------


@login_required
def account_list(request):
    form = AccountFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    accounts = selectors.account_list(
        request.user,
        search=filters.get("q", ""),
        status=filters.get("status", ""),
        classification=filters.get("classification", ""),
        bucket=filters.get("bucket", ""),
    )
    if (
        export := export_response(request, accounts, list_exports.ACCOUNTS, _("Loan accounts"))
    ) is not None:
        return export
    page = Paginator(accounts, 25).get_page(request.GET.get("page"))
    return render(request, "loans/servicing/account_list.html", {"form": form, "page": page})


@login_required
def account_detail(request, pk):
    account = selectors.account_for(request.user, pk)
    return _statement_page(request, account, form=None)


@require_POST
@login_required
def repayment_post(request, pk):
    account = selectors.account_for(request.user, pk)
    form = RepaymentForm(request.POST)
    if form.is_valid():
        try:
            repayment = post_repayment(user=request.user, account=account, **form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            if getattr(repayment, "already_posted", False):
                messages.info(request, _("This reference was already posted; here is its receipt."))
            else:
                messages.success(
                    request,
                    _("Repayment of %(amount)s recorded.") % {"amount": f"{repayment.amount:,.2f}"},
                )
            return redirect("loans:repayment_receipt", pk=account.pk, repayment_pk=repayment.pk)
    return _statement_page(request, account, form=form)


def _statement_page(request, account, *, form):
    """The statement, with the repayment form (bound after a refused post) for those allowed."""
    can_post = may_post_repayment(request.user, account)
    statement = selectors.statement(account, on=timezone.localdate())
    if can_post and form is None:
        due = statement.due_now
        form = RepaymentForm(initial={"amount": f"{due:.2f}"} if due else None)
    return render(
        request,
        "loans/servicing/account_detail.html",
        {
            "account": account,
            "statement": statement,
            "form": form if can_post else None,
            "full_identity": sees_full_identity(request.user),
        },
    )


@login_required
def account_statement_pdf(request, pk):
    account = selectors.account_for(request.user, pk)
    pdf = render_pdf(
        "loans/pdf/statement.html",
        {
            "account": account,
            "statement": selectors.statement(account, on=timezone.localdate()),
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        },
    )
    return pdf_response(pdf, f"贷款对账单-{account.number}.pdf")


@login_required
def account_statement_xlsx(request, pk):
    account = selectors.account_for(request.user, pk)
    statement = selectors.statement(account, on=timezone.localdate())
    response = HttpResponse(statement_workbook(statement), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"贷款对账单-{account.number}.xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def statement_workbook(statement) -> bytes:
    """还款计划 and 还款记录 as an XLSX workbook; money as numbers with two decimals.
    A bank paper: in Chinese, whatever language the user chose."""
    with translation.override("zh-hans"):
        return _workbook(statement)


def _workbook(statement) -> bytes:
    from openpyxl import Workbook  # only this export needs it

    book = Workbook()
    schedule = book.active
    schedule.title = "还款计划"
    schedule.append(
        [
            "期次",
            "应还日期",
            "应还本金",
            "已还本金",
            "应还利息",
            "已还利息",
            "应还罚息",
            "已还罚息",
            "尚欠金额",
            "结清日期",
        ]
    )
    for item in statement.installments:
        schedule.append(
            [
                item.period,
                item.due_date,
                item.principal_due,
                item.principal_paid,
                item.interest_due,
                item.interest_paid,
                item.penalty_due,
                item.penalty_paid,
                item.amount_owed,
                item.paid_off_on,
            ]
        )
    totals = statement.totals
    schedule.append(
        [
            "合计",
            None,
            totals.principal_due,
            totals.principal_paid,
            totals.interest_due,
            totals.interest_paid,
            totals.penalty_due,
            totals.penalty_paid,
            totals.owed,
            None,
        ]
    )
    _format(schedule, money_columns="CDEFGHI", date_columns="BJ")

    history = book.create_sheet("还款记录")
    history.append(
        ["还款日期", "还款金额", "归还罚息", "归还利息", "归还本金", "还款渠道", "凭证号", "经办人"]
    )
    for repayment in statement.repayments:
        history.append(
            [
                repayment.paid_on,
                repayment.amount,
                repayment.penalty_part,
                repayment.interest_part,
                repayment.principal_part,
                str(repayment.get_channel_display()),
                repayment.reference,
                repayment.posted_by.display_name if repayment.posted_by else "",
            ]
        )
    _format(history, money_columns="BCDE", date_columns="A")
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def _format(sheet, *, money_columns: str, date_columns: str) -> None:
    from openpyxl.styles import Font

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column in sheet.iter_cols(min_row=2):
        if not column:  # a sheet with only its header row: an account with no repayments yet
            break
        letter = column[0].column_letter
        for cell in column:
            if letter in money_columns:
                cell.number_format = MONEY_FORMAT
            elif letter in date_columns:
                cell.number_format = DATE_FORMAT
    for letter in {cell.column_letter for cell in sheet[1]}:
        sheet.column_dimensions[letter].width = 16


# --- repayments ----------------------------------------------------------------------------


@login_required
def repayment_receipt(request, pk, repayment_pk):
    repayment = selectors.repayment_for(request.user, pk, repayment_pk)
    return render(
        request,
        "loans/servicing/receipt.html",
        {"repayment": repayment, "account": repayment.account},
    )


@login_required
def repayment_receipt_pdf(request, pk, repayment_pk):
    repayment = selectors.repayment_for(request.user, pk, repayment_pk)
    pdf = render_pdf(
        "loans/pdf/receipt.html",
        {
            "repayment": repayment,
            "account": repayment.account,
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        },
    )
    return pdf_response(pdf, f"还款凭证-{repayment.account.number}-{repayment.reference}.pdf")


# --- calculator ----------------------------------------------------------------------------


@vary_on_headers("HX-Request")
@login_required
def calculator(request):
    """试算: the schedule of a loan from its terms, answered as the user types (htmx)."""
    form = CalculatorForm(request.GET if "principal" in request.GET else None)
    schedule = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            schedule = build_schedule(
                principal=data["principal"],
                annual_rate=data["annual_rate"],
                months=data["months"],
                method=data["method"],
                value_date=data["value_date"],
            )
        except ValueError:
            form.add_error(None, _("These terms cannot be calculated; check the figures."))
    context = {"form": form, "schedule": schedule}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "loans/servicing/_calculator_results.html", context)
    return render(request, "loans/servicing/calculator.html", context)
