"""Rasa's own command line (`python -m runtime.rasa_server run ...` is `rasa run ...`), with the
one change to Rasa 3.6 this project makes: a custom action's reply is checked against Rasa's
response schema by a validator built once, not by `jsonschema.validate`, which first checks the
schema itself against its meta-schema on every call. On two cores that check took about 50 ms of
every turn that runs a custom action (py-spy: more than half of the Rasa server's time on a
greeting; benchmarks/results/turn_latency.json); the reply is validated exactly as before, with
Rasa's own error message.

Runs in the Rasa virtual environment: it imports Rasa and the standard library only.
"""
from __future__ import annotations

from functools import lru_cache

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def response_validator():
    """A validator of `RemoteAction.action_response_format_spec()`, its schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(action: RemoteAction, result: dict) -> bool:
    """`RemoteAction._validate_action_result` with the validator built once."""
    try:
        response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (". Failed to validate Action server response from API, make sure your response "
                          "from the Action endpoint is valid. For more information about the format visit "
                          f"{DOCS_BASE_URL}/custom-actions")
        raise error


def main() -> None:
    from rasa.__main__ import main as rasa_main

    RemoteAction._validate_action_result = validate_action_result
    rasa_main()


if __name__ == "__main__":
    main()
