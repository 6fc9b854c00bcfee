"""Offline triage evaluation: `manage.py triage_eval FILE.jsonl [--json]` (../shared/eval/README.md).

Runs the heuristic provider on every line; no database, Redis or network. With --json: one object
per input line, in input order, and nothing else on stdout. Without: a readable table and a summary
of every labeled metric.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from conversations.triage import evalset, heuristic


class Command(BaseCommand):
    help = "Run triage on a labeled JSONL set and report decisions and metrics (offline)."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL file, one labeled inbound message per line")
        parser.add_argument("--json", action="store_true", help="one JSON object per line, nothing else")

    def handle(self, *args, **options):
        try:
            cases = evalset.load_cases(options["file"])
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror or error}") from None
        except (ValueError, KeyError) as error:
            raise CommandError(f"{options['file']} is not a triage eval set: {error}") from None
        decisions, scores = evalset.evaluate(cases, heuristic.classify)
        if options["json"]:
            for case, decision in zip(cases, decisions, strict=True):
                self.stdout.write(json.dumps(evalset.result_row(case, decision)))
            return
        self._table(cases, decisions)
        self._summary(scores)

    def _table(self, cases, decisions):
        header = f"{'id':<8} {'ok':<4} {'handling':<14} {'intent':<22} {'outcome':<18} {'slot':<7} {'conf':<5} {'reason':<28} body"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for case, decision in zip(cases, decisions, strict=True):
            checks = evalset.item_checks(case.expect, decision)
            ok = "-" if not checks else ("ok" if all(checks.values()) else "MISS")
            handling = ("human" if decision.human_required else "auto") + f"/{case.expect.get('handling', '?')}"
            slot = f"{decision.selected_slot_index or '-'}/{case.expect.get('slot', '-')}"
            body = " ".join(case.triage_input.body.split())
            self.stdout.write(
                f"{case.id:<8} {ok:<4} {handling:<14} {decision.intent:<22} {decision.workflow_outcome:<18} "
                f"{slot:<7} {decision.confidence:<5.2f} {decision.reason_code:<28} {body[:70]}"
            )

    def _summary(self, scores):
        self.stdout.write("")
        self.stdout.write("Summary (labeled items only):")
        for name, label in evalset.METRICS:
            result = scores[name]
            if result.total:
                self.stdout.write(f"  {label:<58} {result.hits:>3}/{result.total:<3} {result.rate:7.1%}")
            else:
                self.stdout.write(f"  {label:<58} (no labeled items)")
