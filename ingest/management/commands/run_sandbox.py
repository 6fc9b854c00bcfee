"""Serve the five sandbox platforms (dev and demo only; refused in production)."""

import random
import threading
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ingest.sandbox import SandboxServer
from ingest.sandbox.demo import run_trickle, seed

DEFAULT_TRICKLE_SECONDS = 45.0
FORBIDDEN_ENVS = ("production", "staging")


class Command(BaseCommand):
    help = "Serve local imitations of the five platforms for the demo and manual testing (never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--no-seed", action="store_true", help="start empty (no demo listings or leads)")
        parser.add_argument(
            "--trickle", type=float, nargs="?", const=DEFAULT_TRICKLE_SECONDS, default=None, metavar="SECONDS",
            help=f"add a realistic lead message about every SECONDS (default {DEFAULT_TRICKLE_SECONDS:.0f})",
        )
        parser.add_argument("--random-seed", type=int, default=20270106,
                            help="seed of the trickle's choices, so a demo run is reproducible")
        parser.add_argument(
            "--sessions-dir", type=Path, default=None,
            help="write a logged-in Playwright storage state per platform here (<dir>/<platform>.json)",
        )

    def handle(self, *args, **options):
        env = getattr(settings, "LEASEBOT_ENV", "local")
        if env in FORBIDDEN_ENVS:
            raise CommandError(f"run_sandbox refuses to run when LEASEBOT_ENV={env}: the sandbox fakes the platforms.")
        if options["trickle"] is not None and options["trickle"] <= 0:
            raise CommandError("--trickle needs a positive number of seconds")
        server = SandboxServer(host=options["host"], port=options["port"])
        platforms = server.app.states
        if not options["no_seed"]:
            seed(platforms)
        sessions_dir = options["sessions_dir"] or Path(settings.LEASEBOT_RPA_PROFILES_DIR) / "sandbox"
        for name in platforms:
            server.write_storage_state(name, sessions_dir / f"{name}.json")
        self.stdout.write(f"Sandbox platforms on {server.root_url}/ (log in with demo / demo)")
        for name in platforms:
            self.stdout.write(f"  {name:16} base URL {server.base_url(name)}  session {sessions_dir / (name + '.json')}")
        self.stdout.write(f"Control API: {server.root_url}/_sandbox/<platform>/state")
        stop = threading.Event()
        if options["trickle"]:
            self.stdout.write(f"Trickling a lead message about every {options['trickle']:.0f}s")
            threading.Thread(
                target=run_trickle, kwargs={"platforms": platforms, "interval": options["trickle"], "stop": stop,
                        "rng": random.Random(options["random_seed"])},
                name="sandbox-trickle", daemon=True,
            ).start()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
