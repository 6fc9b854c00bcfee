"""guardrails_eval run in-process: pytest-django refuses database access in these tests (no db mark),
so they also prove the command never touches the database. The subprocess contract is in
test_eval_command.py."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.unit

DATA = Path(__file__).parent / "data"


def _run(*args):
    out = StringIO()
    call_command("guardrails_eval", *args, stdout=out)
    return out.getvalue()


def test_the_committed_dev_copy_meets_the_bar_without_a_database():
    output = _run(str(DATA / "guardrails_dev.jsonl"))
    assert "caught with the right category: 21/21 (100.0%)" in output
    assert "honest lines blocked: 0/14 (0.0%)" in output


def test_the_private_held_out_set_meets_the_bar_too():
    items = [json.loads(line) for line in (DATA / "heldout.jsonl").read_text().splitlines() if line.strip()]
    blocked = sum(1 for item in items if item["expect"]["blocked"])
    output = _run(str(DATA / "heldout.jsonl"))
    assert f"caught with the right category: {blocked}/{blocked} (100.0%)" in output
    assert f"honest lines blocked: 0/{len(items) - blocked} (0.0%)" in output


def test_the_readable_report_names_misses_and_false_blocks(tmp_path):
    sample = tmp_path / "sample.jsonl"
    sample.write_text(
        "\n".join(json.dumps(x) for x in [
            {"id": "a", "text": "No kids allowed.", "expect": {"blocked": True, "category": "fair_housing"}},
            {"id": "b", "text": "Families welcome.", "expect": {"blocked": False}},
            {"id": "c", "text": "Families welcome, pay by Zelle.", "expect": {"blocked": False}},
            {"id": "d", "text": "No kids allowed.", "expect": {"blocked": True, "category": "promise"}},
            {"id": "e", "text": "Unlabeled reply."},
        ]) + "\n\n"
    )
    output = _run(str(sample))
    assert output.splitlines()[0].split()[:4] == ["id", "expect", "got", "ok"]
    assert "items: 5 (labeled 4)" in output
    assert "blocked lines caught: 2/2 (100.0%)" in output
    assert "caught with the right category: 1/2 (50.0%)" in output
    assert "honest lines blocked: 1/2 (50.0%)" in output
    assert "missed: d" in output
    assert "honest but blocked: c" in output


def test_it_reports_a_broken_line_with_its_number(tmp_path):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "text": "ok"}\n{not json}\n')
    with pytest.raises(CommandError, match="broken.jsonl:2"):
        _run(str(broken), "--json")
