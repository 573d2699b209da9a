import logging
from itertools import islice

from celery import shared_task
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.models import Customer
from loancenter.notifications import notify_role
from loancenter.roles import REVIEWER
from loans.models import LoanAccount

from . import rating

logger = logging.getLogger(__name__)


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def customers_with_loans():
    return Customer.objects.filter(Exists(LoanAccount.objects.filter(customer=OuterRef("pk"))))


@shared_task(name="reports.rerate_customers")
def rerate_customers(chunk_size: int = 200) -> dict[str, int]:
    """Monthly re-rating of every customer with a loan account. Each customer is re-rated in
    its own transaction, so one failure neither stops the run nor undoes the others. The
    reviewers get one message for the whole run."""
    counts = dict.fromkeys(
        (rating.PROPOSED, rating.UNCHANGED, rating.PENDING, rating.UNSCORED, "failed"), 0
    )
    ids = customers_with_loans().order_by("pk").values_list("pk", flat=True)
    for chunk in _chunks(list(ids), chunk_size):  # ids only: a few bytes per customer
        for customer in Customer.objects.filter(pk__in=chunk).order_by("pk"):
            try:
                outcome, _rating = rating.rerate(customer, notify=False)
            except Exception:  # one bad record must not stop the month's run
                logger.exception("re-rating customer %s failed", customer.pk)
                outcome = "failed"
            counts[outcome] += 1
    if counts[rating.PROPOSED]:
        notify_role(
            REVIEWER,
            message=_("Re-rating: %(count)s credit grade changes are waiting for confirmation.")
            % {"count": counts[rating.PROPOSED]},
            link=reverse("reports:rating_queue"),
        )
    return counts


@shared_task(name="reports.generate_report")
def generate_report(run_id: int) -> str:
    """Build a report run's PDF and XLSX (asked for on the reports page)."""
    from .services_reports import generate

    run = generate(run_id)
    return run.status if run else "missing"


@shared_task(name="reports.monthly_asset_quality_report")
def monthly_asset_quality_report() -> int:
    """Beat, on the 1st of each month: last month's asset-quality report for the director."""
    from .services_reports import monthly_asset_quality_report as make

    return make().pk
