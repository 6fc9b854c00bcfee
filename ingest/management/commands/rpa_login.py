"""A person logs in to a platform in a headed browser; the session is saved for the worker."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingest.errors import PlatformError
from ingest.login import capture_session
from ingest.platforms import PLATFORMS
from ingest.runtime import PlaywrightRuntime
from ingest.types import AccountConfig, BrowserSettings


class Command(BaseCommand):
    help = "Open a headed browser on the platform's login page; after you log in, save the session."

    def add_arguments(self, parser):
        parser.add_argument("platform", choices=sorted(PLATFORMS))
        parser.add_argument("--account", type=int, help="platform account id: its references say where the session goes")
        parser.add_argument("--base-url", help="e.g. https://www.spareroom.com, or a sandbox base URL")
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--storage-state", type=Path, help="write the Playwright storage state here")
        target.add_argument("--profile-dir", type=Path, help="use (and keep the session in) this persistent profile")
        parser.add_argument("--user-agent", default=None)
        parser.add_argument("--locale", default="en-US")
        parser.add_argument("--timezone-id", default=None)
        parser.add_argument("--headless", action="store_true", help="no window (only useful for scripted logins)")

    def handle(self, *args, **options):
        if options["account"]:
            config, save_to = self._account_target(options["platform"], options["account"], options["headless"])
        else:
            config, save_to = self._explicit_target(options)
        runtime = PlaywrightRuntime()
        try:
            saved = capture_session(runtime, config, save_to=save_to, wait_for_person=self.ask)
        except PlatformError as exc:
            raise CommandError(f"login not captured: {exc.code}: {exc}") from exc
        finally:
            runtime.close()
        self.stdout.write(self.style.SUCCESS(f"Session saved: {saved}"))

    def _account_target(self, platform, account_id, headless):
        import dataclasses

        from conversations.models import PlatformAccount
        from ingest.accounts import CredentialError, login_target

        account = PlatformAccount.objects.filter(pk=account_id, platform=platform).first()
        if account is None:
            raise CommandError(f"No {platform} platform account with id {account_id}.")
        try:
            config, save_to = login_target(account)
        except CredentialError as error:
            raise CommandError(str(error)) from None
        # A person logs in: a window (unless scripted), and time enough to type.
        browser = dataclasses.replace(config.browser, headless=headless, navigation_timeout_ms=60_000)
        return dataclasses.replace(config, browser=browser), save_to

    def _explicit_target(self, options):
        if not options["base_url"]:
            raise CommandError("--base-url is required")
        if not (options["storage_state"] or options["profile_dir"]):
            raise CommandError("say where the session goes: --storage-state PATH or --profile-dir PATH")
        return AccountConfig(
            platform=options["platform"],
            base_url=options["base_url"].rstrip("/"),
            account_key="rpa-login",
            profile_dir=options["profile_dir"],
            browser=BrowserSettings(
                headless=options["headless"], user_agent=options["user_agent"], locale=options["locale"],
                timezone_id=options["timezone_id"], navigation_timeout_ms=60_000,
            ),
        ), options["storage_state"]

    def ask(self, page, attempt):
        note = "" if attempt == 1 else " (the inbox still asked for a login; try again)"
        input(f"Log in in the browser window{note}, then press Enter here... ")

