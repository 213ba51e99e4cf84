"""The cached `jsonschema.validate` (bot/speedups.py) answers exactly like the original on the
schema Rasa checks action server responses with."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import bot  # noqa: F401 - installs the speed-up
from bot import speedups

SPEC = RemoteAction.action_response_format_spec()
GOOD = {"events": [{"event": "slot", "name": "phone", "value": "+84912345678"}],
        "responses": [{"text": "Bạn ở tỉnh nào?", "buttons": []}]}
BAD = [{"events": "not a list"}, {"responses": [5]}, {"events": [{"no_event_key": 1}]},
       {"events": [{"event": 5}]}]


def test_installed_for_rasa():
    assert jsonschema.validate is speedups.validate


def test_valid_response_passes():
    speedups.validate(GOOD, SPEC)
    speedups._original_validate(GOOD, SPEC)


@pytest.mark.parametrize("response", BAD)
def test_invalid_response_raises_the_same_error_as_jsonschema(response):
    with pytest.raises(jsonschema.ValidationError) as ours:
        speedups.validate(response, SPEC)
    with pytest.raises(jsonschema.ValidationError) as theirs:
        speedups._original_validate(response, SPEC)
    assert ours.value.message == theirs.value.message
    assert list(ours.value.path) == list(theirs.value.path)


def test_an_invalid_schema_is_still_refused():
    with pytest.raises(jsonschema.SchemaError):
        speedups.validate({}, {"type": "no-such-type"})
