from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from loancenter.demo import ADMIN_USERNAME, DEMO_STAFF, seed_all


class Command(BaseCommand):
    help = "Create demo staff (one per role, plus an admin) and demo data. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off (the demo password is public: never in production).",
        )

    def handle(self, *args, force=False, **options):
        if not (settings.DEBUG or force):
            raise CommandError(
                "seed_demo creates users with a published password; it runs only with DEBUG=1 "
                "or --force."
            )
        created = seed_all()
        usernames = [*DEMO_STAFF, ADMIN_USERNAME]
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(usernames)} staff ({len(created)} new). "
                f"Users: {', '.join(usernames)}; password: {settings.DEMO_PASSWORD}"
            )
        )
