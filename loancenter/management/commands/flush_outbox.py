from django.core.management.base import BaseCommand

from loancenter.outbox import flush_outbox


class Command(BaseCommand):
    help = (
        "Publish the Celery tasks waiting in the outbox (kept while Redis was unreachable). "
        "Beat runs this every minute; run it by hand after an outage to send them at once."
    )

    def handle(self, *args, **options):
        counts = flush_outbox()
        self.stdout.write(
            f"sent {counts['sent']}, failed {counts['failed']}, "
            f"skipped {counts['skipped']}, still waiting {counts['waiting']}"
        )
