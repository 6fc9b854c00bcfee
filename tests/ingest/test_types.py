import pytest

from ingest.types import INBOUND, OUTBOUND, Message, Thread

pytestmark = pytest.mark.unit


def message(body, direction=INBOUND, external_id=None):
    return Message(external_id=external_id, direction=direction, body=body, time=None)


def test_platform_ids_are_used_when_present():
    thread = Thread(thread_id="1", messages=[message("Hi", external_id="m1"), message("Hi", external_id="m2")])
    assert [key for key, _ in thread.message_keys()] == ["m1", "m2"]


def test_content_derived_ids_are_stable_and_count_repeats():
    first = Thread(thread_id="1", messages=[message("Thanks!"), message("Sure", OUTBOUND)])
    grown = Thread(thread_id="1", messages=[*first.messages, message("Thanks!"), message("  Thanks!\n")])

    first_keys = [key for key, _ in first.message_keys()]
    grown_keys = [key for key, _ in grown.message_keys()]

    assert grown_keys[:2] == first_keys  # reading the thread again gives the same ids
    assert len(set(grown_keys)) == 4
    assert grown_keys[0].endswith(":0") and grown_keys[2].endswith(":1") and grown_keys[3].endswith(":2")
    assert all(key.startswith("c:") for key in grown_keys)


def test_direction_is_part_of_a_content_id():
    thread = Thread(thread_id="1", messages=[message("OK"), message("OK", OUTBOUND)])
    keys = [key for key, _ in thread.message_keys()]
    assert keys[0] != keys[1] and keys[0].endswith(":0") and keys[1].endswith(":0")
