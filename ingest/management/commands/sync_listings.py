"""Sync the listings of active platform accounts now and re-link unresolved conversations."""

from ingest.ingest_run import run_sync_listings
from ingest.management.commands.ingest_once import AccountsCommand


class Command(AccountsCommand):
    help = "Read every active account's listings from the platform, upsert them, and re-link unresolved threads."
    runner = staticmethod(run_sync_listings)
