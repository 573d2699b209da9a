from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loancenter.errors import DomainError
from loans.sweep import catch_up


class Command(BaseCommand):
    help = "Run the overdue sweep for a business date, catching up missed dates first."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="business date YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        through = _business_date(options["date"])
        try:
            runs = catch_up(through=through)
        except DomainError as error:
            raise CommandError(error.message) from None
        if not runs:
            self.stdout.write(f"nothing to sweep up to {through:%Y-%m-%d}")
        for run in runs:
            if run.already_done:
                self.stdout.write(f"{run.business_date:%Y-%m-%d} already done")
            else:
                self.stdout.write(f"{run.business_date:%Y-%m-%d} done {run.figures}")


def _business_date(text: str | None) -> date:
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date must be YYYY-MM-DD, not {text!r}") from None
