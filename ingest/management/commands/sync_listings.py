"""Sync the listings of active platform accounts now and re-link unresolved conversations."""

from django.core.management.base import BaseCommand

from conversations.models import PLATFORMS
from ingest.ingest_run import run_sync_listings
from ingest.management.commands.ingest_once import describe, selected_accounts


class Command(BaseCommand):
    help = "Read every active account's listings from the platform, upsert them, and re-link unresolved threads."

    def add_arguments(self, parser):
        parser.add_argument("--platform", choices=[name for name, _ in PLATFORMS])
        parser.add_argument("--account", type=int)

    def handle(self, *args, **options):
        accounts = selected_accounts(options["platform"], options["account"])
        failures = 0
        for account in accounts:
            result = run_sync_listings(account.pk)
            failures += bool(result.error_code)
            self.stdout.write(f"{account.platform:16} #{account.pk} {account.name}: {describe(result)}")
        self.stdout.write(f"{len(accounts)} account(s), {failures} with errors")
