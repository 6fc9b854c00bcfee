from django.core.management.base import BaseCommand

from leasebot import scheduler
from leasebot.runtime import ensure_runtime_allowed


class Command(BaseCommand):
    help = "Enqueue lease-bot's periodic jobs (ingest per account, follow-ups, sweeps). Safe to run more than one."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one tick and exit.")
        parser.add_argument("--interval", type=int, default=5, help="Seconds between ticks (default 5).")

    def handle(self, *args, once=False, interval=5, **options):
        ensure_runtime_allowed()
        if once:
            for path in scheduler.tick():
                self.stdout.write(f"enqueued {path}")
            return
        scheduler.run_forever(interval=max(1, interval))
