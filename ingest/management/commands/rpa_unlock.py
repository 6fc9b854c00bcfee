"""Clear a stale browser-profile lock (ours, and Chromium's SingletonLock) left by a dead process."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ingest.errors import ProfileLocked
from ingest.profilelock import LOCK_NAME, clear_stale


class Command(BaseCommand):
    help = "Clear stale profile locks so a persistent browser profile can be opened again."

    def add_arguments(self, parser):
        parser.add_argument("profile_dirs", nargs="*", type=Path, help="profile folders to unlock")
        parser.add_argument("--all", action="store_true", help="every profile under LEASEBOT_RPA_PROFILES_DIR")

    def handle(self, *args, **options):
        folders = list(options["profile_dirs"])
        if options["all"]:
            root = Path(settings.LEASEBOT_RPA_PROFILES_DIR)
            folders += sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
        if not folders:
            raise CommandError("name a profile folder, or pass --all")
        failed = False
        for folder in folders:
            if not folder.is_dir():
                self.stderr.write(f"{folder}: no such profile folder")
                failed = True
                continue
            had_lock = (folder / LOCK_NAME).exists()
            try:
                removed = clear_stale(folder)
            except ProfileLocked as exc:
                self.stderr.write(f"{folder}: still in use, left alone ({exc})")
                failed = True
                continue
            cleared = removed + ([LOCK_NAME] if had_lock else [])
            self.stdout.write(f"{folder}: {'cleared ' + ', '.join(cleared) if cleared else 'no stale lock'}")
        if failed:
            raise CommandError("some profiles were not unlocked")
