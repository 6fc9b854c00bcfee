"""Deliberately failing module for the gate's own test (not collected: no test_ prefix)."""


def test_deliberately_broken():
    assert 1 + 1 == 3
