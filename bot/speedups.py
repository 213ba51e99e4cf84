"""One fix to Rasa 3.6's hot path, installed when the `bot` package is imported (Rasa imports it to
load the Vietnamese tokenizer, so every Rasa process has it).

Rasa validates every response of the action server with `jsonschema.validate(result, spec)`, and
`jsonschema.validate` first checks the *schema* against the JSON Schema meta-schema, on every
call. Profiled under load (py-spy on a replica of the production profile), that meta-check was
about 40 % of Rasa's CPU time. `validate` below gives the same answer (the same first error,
`best_match`, or None) but checks each distinct schema once and reuses its validator.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema
from jsonschema import exceptions, validators

_original_validate = jsonschema.validate


@functools.lru_cache(maxsize=64)
def _validator_for(schema_json: str) -> Any:
    schema = json.loads(schema_json)
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """`jsonschema.validate` with the schema checked once per distinct schema."""
    if cls is not None or args or kwargs:
        return _original_validate(instance, schema, cls, *args, **kwargs)
    try:
        key = json.dumps(schema, sort_keys=True)
    except (TypeError, ValueError):  # not plain JSON: leave it to jsonschema
        return _original_validate(instance, schema)
    error = exceptions.best_match(_validator_for(key).iter_errors(instance))
    if error is not None:
        raise error
    return None


def install() -> None:
    jsonschema.validate = validate
