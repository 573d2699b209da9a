import json
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loancenter.errors import DomainError
from reports.portfolio.generate import generate


class Command(BaseCommand):
    help = (
        "Build a realistic book of N loans on an empty PostgreSQL database with bulk loading, "
        "as of a date (yesterday by default), and run that date's overdue sweep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, required=True, help="number of loan accounts")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same book)")
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="business date of the book, YYYY-MM-DD (default: yesterday)",
        )

    def handle(self, *args, accounts, seed, as_of, **options):
        as_of = as_of or timezone.localdate() - timedelta(days=1)
        try:
            counts = generate(
                accounts=accounts, seed=seed, as_of=as_of, log=self.stdout.write
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(counts, ensure_ascii=False, default=str))
