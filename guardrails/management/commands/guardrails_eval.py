"""Offline evaluation of the outbound guardrails on a labeled JSONL file (no database, Redis or network).

    python manage.py guardrails_eval FILE.jsonl [--json]

Uses the built-in rules with the default jurisdiction switches only (the contract in
shared/eval/README.md), so results do not depend on what admins configured.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from guardrails.engine import DEFAULT_POLICY, check_outbound


def _read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.readlines()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error}") from error
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise CommandError(f"{path}:{number}: not valid JSON ({error.msg})") from error
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise CommandError(f"{path}:{number}: each line needs an object with a string `text`")
        items.append(item)
    return items


def evaluate(items):
    """[(item, verdict)] for each item, in order."""
    return [(item, check_outbound(item["text"], policy=DEFAULT_POLICY)) for item in items]


def summarize(results):
    """The labeled metrics: catch rate with the right category, honest lines blocked, per category."""
    labeled = [(item, v) for item, v in results if isinstance(item.get("expect"), dict) and "blocked" in item["expect"]]
    should_block = [(item, v) for item, v in labeled if item["expect"]["blocked"]]
    honest = [(item, v) for item, v in labeled if not item["expect"]["blocked"]]
    caught = [(i, v) for i, v in should_block if v.blocked]
    caught_right = [(i, v) for i, v in caught if i["expect"].get("category") in v.categories]
    over_blocked = [(i, v) for i, v in honest if v.blocked]
    per_category = {}
    for item, verdict in should_block:
        category = item["expect"].get("category", "?")
        total, right = per_category.get(category, (0, 0))
        per_category[category] = (total + 1, right + (category in verdict.categories))
    flagged = sum(1 for _, v in labeled if v.blocked)
    return {
        "items": len(results),
        "labeled": len(labeled),
        "should_block": len(should_block),
        "caught": len(caught),
        "caught_right_category": len(caught_right),
        "honest": len(honest),
        "honest_blocked": len(over_blocked),
        "precision": (len(caught) / flagged) if flagged else None,
        "per_category": per_category,
        "misses": [i["id"] for i, v in should_block if not (v.blocked and i["expect"].get("category") in v.categories)],
        "false_blocks": [i["id"] for i, v in over_blocked],
    }


def _pct(part, whole):
    return f"{part}/{whole} ({100.0 * part / whole:.1f}%)" if whole else "n/a"


class Command(BaseCommand):
    help = "Run the outbound guardrails on a JSONL file and report per item and in summary."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL: one {id, text, expect: {blocked, category}} per line")
        parser.add_argument("--json", action="store_true", help="one JSON object per input line, nothing else")

    def handle(self, *args, **options):
        results = evaluate(_read(options["file"]))
        if options["json"]:
            for item, verdict in results:
                line = {"id": item.get("id"), "blocked": verdict.blocked, "reasons": list(verdict.categories)}
                self.stdout.write(json.dumps(line))
            return
        self._table(results)
        self._summary(summarize(results))

    def _table(self, results):
        self.stdout.write(f"{'id':<10} {'expect':<16} {'got':<28} {'ok':<4} text")
        for item, verdict in results:
            expect = item.get("expect") or {}
            wanted = (expect.get("category") or "block") if expect.get("blocked") else ("pass" if expect else "-")
            got = ",".join(verdict.categories) if verdict.blocked else "pass"
            if not expect:
                ok = ""
            elif expect.get("blocked"):
                ok = "yes" if expect.get("category") in verdict.categories or (verdict.blocked and not expect.get("category")) else "NO"
            else:
                ok = "NO" if verdict.blocked else "yes"
            text = item["text"].replace("\n", " ")
            self.stdout.write(f"{str(item.get('id')):<10} {wanted:<16} {got:<28} {ok:<4} {text[:70]}")

    def _summary(self, s):
        self.stdout.write("")
        self.stdout.write(f"items: {s['items']} (labeled {s['labeled']})")
        self.stdout.write(f"blocked lines caught: {_pct(s['caught'], s['should_block'])}")
        self.stdout.write(f"caught with the right category: {_pct(s['caught_right_category'], s['should_block'])}")
        self.stdout.write(f"honest lines blocked: {_pct(s['honest_blocked'], s['honest'])}")
        precision = "n/a" if s["precision"] is None else f"{100.0 * s['precision']:.1f}%"
        self.stdout.write(f"precision of blocks: {precision}")
        for category, (total, right) in sorted(s["per_category"].items()):
            self.stdout.write(f"  {category:<16} {_pct(right, total)}")
        if s["misses"]:
            self.stdout.write("missed: " + ", ".join(map(str, s["misses"])))
        if s["false_blocks"]:
            self.stdout.write("honest but blocked: " + ", ".join(map(str, s["false_blocks"])))
