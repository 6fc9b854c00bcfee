"""Demo accounts: one PlatformAccount per platform, pointing at the local sandbox (`run_sandbox`), with
listings matching the sandbox's DEMO_LISTINGS linked to the demo units. Idempotent.

The session: `run_sandbox` logs in and writes a storage state per platform to
LEASEBOT_RPA_PROFILES_DIR/sandbox/<platform>.json on start; the accounts reference those files. A
restarted sandbox writes fresh files, and a newer session file resumes an account flagged "needs login".
"""

import os
from pathlib import Path

from django.conf import settings

from conversations.models import Listing, PlatformAccount
from ingest.ingest_run import rent_cents
from ingest.models import AccountState
from ingest.sandbox.demo import DEMO_LISTINGS
from scheduling.models import Unit

AUTO_SEND = ("spareroom", "roomies")
DEMO_UNITS = (("Maple Court", "4B"), ("Maple Court", "2A"), ("Lakeview Lofts", "12"), ("Riverside Flats", "3"))


def sandbox_url():
    return os.environ.get("LEASEBOT_SANDBOX_URL", "http://127.0.0.1:8765").rstrip("/")


def session_file(platform):
    return Path(settings.LEASEBOT_RPA_PROFILES_DIR) / "sandbox" / f"{platform}.json"


def _units():
    found = {(u.property_name, u.unit_number): u for u in Unit.objects.filter(property_name__in={p for p, _ in DEMO_UNITS})}
    return [found[key] for key in DEMO_UNITS if key in found]


def seed(stdout=None):
    units = _units()
    accounts = listings = 0
    index = 0
    for platform, items in DEMO_LISTINGS.items():
        mode = PlatformAccount.SendMode.AUTO_SEND if platform in AUTO_SEND else PlatformAccount.SendMode.DRAFT_ONLY
        account, created = PlatformAccount.objects.update_or_create(
            platform=platform, name=f"Sandbox {platform}",
            defaults={
                "base_url": f"{sandbox_url()}/{platform}", "send_mode": mode, "active": True,
                "storage_state_ref": f"file:{session_file(platform)}", "profile_dir_ref": "",
            },
        )
        accounts += created
        # Quicker than production pacing, so the demo answers within seconds.
        AccountState.objects.get_or_create(
            account=account, defaults={"min_interval_seconds": 3, "jitter_seconds": 2, "daily_send_cap": 500}
        )
        for external_id, title, price in items:
            unit = units[index % len(units)] if units else None
            index += 1
            _, new = Listing.objects.update_or_create(
                account=account, external_listing_id=external_id,
                defaults={"title": title, "url": f"{sandbox_url()}/{platform}/listings/{external_id}",
                          "rent_cents": rent_cents(price), "status": "active", "unit": unit},
            )
            listings += new
    if stdout is not None:
        stdout.write(f"ingest: {accounts} new sandbox accounts, {listings} new listings "
                     f"(sessions from run_sandbox in {session_file('<platform>').parent})")
