"""Run one ingest of every active account (or one platform / one account) now, in this process."""

from django.core.management.base import BaseCommand, CommandError

from conversations.models import PLATFORMS, PlatformAccount
from ingest.ingest_run import run_ingest


def selected_accounts(platform, account_id):
    accounts = PlatformAccount.objects.order_by("platform", "pk")
    if account_id is not None:
        accounts = accounts.filter(pk=account_id)
        if not accounts.exists():
            raise CommandError(f"no platform account #{account_id}")
    else:
        accounts = accounts.filter(active=True)
    if platform:
        accounts = accounts.filter(platform=platform)
    return list(accounts)


def describe(result):
    if result.skipped:
        return f"skipped ({result.skipped})"
    counts = ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in result.counts.items())
    return f"error {result.error_code}; {counts}" if result.error_code else f"ok; {counts}"


class AccountsCommand(BaseCommand):
    """Runs `runner(account_id)` for the selected accounts, synchronously, one summary line each."""

    runner = None

    def add_arguments(self, parser):
        parser.add_argument("--platform", choices=[name for name, _ in PLATFORMS])
        parser.add_argument("--account", type=int, help="one platform account id (an inactive one is skipped)")

    def handle(self, *args, **options):
        accounts = selected_accounts(options["platform"], options["account"])
        failures = 0
        for account in accounts:
            result = type(self).runner(account.pk)
            failures += bool(result.error_code)
            self.stdout.write(f"{account.platform:16} #{account.pk} {account.name}: {describe(result)}")
        self.stdout.write(f"{len(accounts)} account(s), {failures} with errors")


class Command(AccountsCommand):
    help = "Ingest the inboxes of active platform accounts once, synchronously, and print a summary."
    runner = staticmethod(run_ingest)
