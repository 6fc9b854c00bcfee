import json as json_lib

from django.core.management.base import BaseCommand, CommandError

from leasebot.ops import snapshot


class Command(BaseCommand):
    help = "Print the observability snapshot (volume, AI decisions, human queue, workflow, slots, linkage, dispatch, health)."

    def add_arguments(self, parser):
        parser.add_argument("--window-hours", default="24", help="1 to 168 (default 24).")
        parser.add_argument("--json", action="store_true", help="One JSON object, nothing else.")

    def handle(self, *args, window_hours="24", **options):
        try:
            data = snapshot.build_snapshot(snapshot.parse_window(window_hours))
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json_lib.dumps(data, indent=2, default=str))
            return
        self._print_text(data)

    def _print_text(self, data):
        w = self.stdout.write
        w(f"lease-bot snapshot, last {data['window_hours']} h (generated {data['generated_at']})")
        for title, values in (
            ("Inbound by platform", data["volume"]["inbound"]),
            ("Outbound sent by platform", data["volume"]["outbound_sent"]),
            ("Drafts pending review", data["volume"]["drafts_pending"]),
            ("AI decisions", data["ai"]["by_decision"]),
            ("Escalation reasons", data["ai"]["escalation_reasons"]),
            ("Bookings by source", data["slots"]["bookings_by_source"]),
            ("Dispatch sent", data["dispatch"]["sent"]),
            ("Dead letters", data["dispatch"]["dead_letters"]),
            ("Guardrail blocks", data["dispatch"]["guardrail_blocks"]),
        ):
            rendered = ", ".join(f"{k or '-'}: {v}" for k, v in values.items()) or "none"
            w(f"  {title:28} {rendered}")
        q = data["human_queue"]
        w(f"  {'Needs-human queue':28} depth {q['depth']}, oldest {q['oldest_age_seconds']} s, median first action {q['median_first_action_seconds']} s")
        lk = data["linkage"]
        w(f"  {'Linkage':28} resolved {lk['resolved']}, unresolved {lk['unresolved']} (rate {lk['unresolved_rate']:.1%})")
        w(f"  {'Provider fallbacks':28} {data['ai']['provider_fallbacks']}")
        for row in data["platform_health"]:
            w(f"  health {row}")

