"""`manage.py guardrails_eval` as the evaluation harness runs it: a subprocess, no database, no Redis."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from guardrails.rules import CATEGORIES

pytestmark = [pytest.mark.unit]

BASE_DIR = Path(settings.BASE_DIR)
# CI checks the repository out with shared/ beside it, exactly like /work/main and /work/shared.
DEV_SET = BASE_DIR.parent / "shared" / "eval" / "guardrails_dev.jsonl"


def _run(*args):
    env = dict(os.environ)
    # Unreachable services: the command must not need either of them.
    env["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:9/none"
    env["REDIS_URL"] = "redis://127.0.0.1:9/0"
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "guardrails_eval", *map(str, args)],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )


def _items(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def dev_run():
    if not DEV_SET.exists():
        pytest.fail(f"the development set is missing at {DEV_SET}")
    result = _run(DEV_SET, "--json")
    assert result.returncode == 0, result.stderr
    return result


def test_it_prints_one_json_object_per_input_line_in_order_and_nothing_else(dev_run):
    lines = dev_run.stdout.splitlines()
    outputs = [json.loads(line) for line in lines]
    assert [o["id"] for o in outputs] == [item["id"] for item in _items(DEV_SET)]
    for output in outputs:
        assert set(output) == {"id", "blocked", "reasons"}
        assert isinstance(output["blocked"], bool)
        assert set(output["reasons"]) <= set(CATEGORIES)
        assert output["blocked"] == bool(output["reasons"])


def test_it_catches_every_blocked_dev_line_with_the_right_category_and_blocks_no_honest_line(dev_run):
    outputs = {o["id"]: o for o in map(json.loads, dev_run.stdout.splitlines())}
    missed, over_blocked = [], []
    for item in _items(DEV_SET):
        output = outputs[item["id"]]
        if item["expect"]["blocked"]:
            if not output["blocked"] or item["expect"]["category"] not in output["reasons"]:
                missed.append((item["id"], item["expect"]["category"], output["reasons"]))
        elif output["blocked"]:
            over_blocked.append((item["id"], output["reasons"]))
    assert missed == []
    assert over_blocked == []


def test_it_prints_a_readable_table_and_every_metric_without_json():
    result = _run(DEV_SET)
    assert result.returncode == 0, result.stderr
    for item in _items(DEV_SET):
        assert item["id"] in result.stdout
    summary = result.stdout.lower()
    # Caught and caught-with-the-right-category are both 21 of 21; no honest line of 14 is blocked.
    assert summary.count("21/21") >= 2
    assert "0/14" in summary and "honest" in summary


def test_it_reports_unlabeled_lines_too_and_keeps_their_order(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join([
            json.dumps({"id": "b", "text": "Sorry, no Section 8 here."}),
            json.dumps({"id": "a", "text": "The unit has two windows facing the park."}),
            "",
            json.dumps({"id": "c", "text": "Zelle me the deposit first."}),
        ]) + "\n",
        encoding="utf-8",
    )
    result = _run(path, "--json")
    assert result.returncode == 0, result.stderr
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["id"], o["blocked"]) for o in outputs] == [("b", True), ("a", False), ("c", True)]
    assert outputs[0]["reasons"] == ["fair_housing"]
    assert outputs[2]["reasons"] == ["payment"]


def test_it_refuses_a_missing_file_with_a_clear_error(tmp_path):
    result = _run(tmp_path / "nope.jsonl", "--json")
    assert result.returncode != 0
    assert result.stdout == ""
    assert "nope.jsonl" in result.stderr
