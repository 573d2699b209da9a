"""The registration ledger (台帐) as an XLSX workbook."""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

HEADERS = [
    "申请编号",
    "借款人",
    "押品",
    "产权证号",
    "登记机关",
    "状态",
    "应办结日期",
    "提交日期",
    "登记日期",
    "他项权证号",
    "移交时间",
    "接收人",
    "接收时间",
]


def _row(registration):
    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    return [
        registration.application.number,
        registration.application.customer.name,
        registration.collateral.description,
        registration.collateral.certificate_number,
        registration.registry_office,
        str(registration.get_status_display()),
        registration.due_by,
        registration.submitted_on,
        registration.registered_on,
        registration.certificate_number,
        when(registration.handed_over_at),
        registration.received_by.display_name if registration.received_by else "",
        when(registration.received_at),
    ]


def ledger_workbook(registrations) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "抵押登记台帐"
    sheet.append(HEADERS)
    for registration in registrations.iterator(chunk_size=500):
        sheet.append(_row(registration))
    for column in ("G", "H", "I"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"抵押登记台帐-{timezone.localdate():%Y%m%d}.xlsx"
    )
    return response
