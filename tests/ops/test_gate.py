import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = "tests/ops/gate_fixtures"
pytestmark = [pytest.mark.unit]


def gate(*args, tmp_path):
    env = dict(os.environ)
    return subprocess.run(
        [sys.executable, "manage.py", "gate", "--evidence", str(tmp_path), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


def test_it_lists_the_steps_in_fail_fast_order(tmp_path):
    result = gate("--list", tmp_path=tmp_path)
    assert result.returncode == 0
    keys = [line.split()[1] for line in result.stdout.strip().splitlines()]
    assert keys == ["web", "worker", "smoke", "contract", "e2e"]


def test_it_fails_naming_the_broken_step_and_stops_there(tmp_path):
    result = gate(
        "--only", "web", "--only", "worker",
        "--step-args", f"web={FIXTURES}/passing_check.py",
        "--step-args", f"worker={FIXTURES}/failing_check.py",
        tmp_path=tmp_path,
    )
    assert result.returncode != 0
    assert "Gate failed at step 'worker'" in result.stderr
    assert "web        pass" in result.stdout and "worker     FAIL" in result.stdout
    assert (tmp_path / "worker.log").read_text().count("deliberately_broken") >= 1


def test_it_counts_a_step_that_ran_nothing_as_failed(tmp_path):
    result = gate("--only", "web", "--step-args", "web=-m no_such_marker_anywhere", tmp_path=tmp_path)
    assert result.returncode != 0 and "web        FAIL" in result.stdout


def test_it_passes_when_every_step_passes(tmp_path):
    result = gate("--only", "web", "--step-args", f"web={FIXTURES}/passing_check.py", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "web        pass" in result.stdout
