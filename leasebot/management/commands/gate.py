"""The release gate (R9/M5): release-critical suites in fail-fast order on throwaway services."""

import datetime as dt
import os
import shlex
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STEPS = (
    ("web", "Web and HTTP contracts", ["-m", "web"]),
    ("worker", "Worker and job tests (real RQ, real Redis)", ["-m", "worker"]),
    ("smoke", "Browser smoke (Chromium, phone to desktop widths)", ["-m", "smoke"]),
    ("contract", "Integrations contract, all five platforms", ["-m", "contract"]),
    ("e2e", "Release-critical end-to-end: handoff, showing lifecycle, platform round trip", ["-m", "e2e"]),
)


def _counts(junit_path):
    try:
        root = ET.parse(junit_path).getroot()
    except (OSError, ET.ParseError):
        return 0, 0
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return tests - failed - skipped, failed


class Command(BaseCommand):
    help = "Run the release gate: web, worker, smoke, contract, e2e. Fails fast, prints a table, keeps evidence."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Show the steps without running them.")
        parser.add_argument("--only", action="append", default=[], help="Run only this step (repeatable).")
        parser.add_argument("--evidence", help="Folder for each step's log (default .local/evidence/<time>).")
        parser.add_argument(
            "--step-args", action="append", default=[], metavar="STEP=ARGS",
            help="Replace a step's pytest arguments, e.g. --step-args 'web=tests/ops/gate_fixtures/failing_check.py'.",
        )

    def handle(self, *args, **options):
        overrides = self._overrides(options["step_args"])
        steps = [(key, title, overrides.get(key, argv)) for key, title, argv in STEPS]
        if options["only"]:
            unknown = set(options["only"]) - {key for key, _, _ in STEPS}
            if unknown:
                raise CommandError(f"Unknown step(s): {', '.join(sorted(unknown))}. Steps: {', '.join(k for k, _, _ in STEPS)}.")
            steps = [step for step in steps if step[0] in options["only"]]
        if options["list"]:
            for n, (key, title, argv) in enumerate(steps, 1):
                self.stdout.write(f"{n}. {key:9} {title}  (pytest {' '.join(argv)})")
            return
        evidence = Path(options["evidence"] or Path(settings.BASE_DIR) / ".local" / "evidence" / dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ"))
        evidence.mkdir(parents=True, exist_ok=True)
        rows = self._run(steps, evidence)
        self._table(rows, evidence)
        failed = [row for row in rows if row[1] != "pass"]
        if failed:
            raise CommandError(f"Gate failed at step '{failed[0][0]}'. Logs: {evidence}")

    def _overrides(self, raw):
        result = {}
        for item in raw:
            key, sep, value = item.partition("=")
            if not sep or key not in {k for k, _, _ in STEPS}:
                raise CommandError(f"--step-args wants STEP=ARGS with a known step, got {item!r}.")
            result[key] = shlex.split(value)
        return result

    def _run(self, steps, evidence):
        from leasebot.devservices import service_env, services

        rows = []
        with services() as (pg, redis):
            env = service_env(pg, redis, "test")
            for key, _title, argv in steps:
                started = time.monotonic()
                junit = evidence / f"{key}.xml"
                log = evidence / f"{key}.log"
                with log.open("w") as out:
                    code = subprocess.call(
                        [sys.executable, "-m", "pytest", *argv, f"--junitxml={junit}", "-q"],
                        cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
                    )
                passed, failed = _counts(junit)
                # A step that ran nothing proves nothing: it fails too.
                result = "pass" if code == 0 and passed > 0 and failed == 0 else "FAIL"
                rows.append((key, result, passed, failed, time.monotonic() - started))
                if result != "pass":
                    break
        return rows

    def _table(self, rows, evidence):
        self.stdout.write(f"{'step':10} {'result':7} {'passed':>7} {'failed':>7} {'seconds':>8}")
        for key, result, passed, failed, seconds in rows:
            self.stdout.write(f"{key:10} {result:7} {passed:>7} {failed:>7} {seconds:>8.1f}")
        self.stdout.write(f"evidence: {evidence}")
        if os.environ.get("CI"):
            self.stdout.write("(CI)")
