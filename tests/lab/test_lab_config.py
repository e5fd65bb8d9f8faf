"""What the page may send, as properties: any JSON is either a checked setting or a
``LabInputError`` naming the field, never another exception and never a setting out of range."""

from __future__ import annotations

import json
import math
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlp.lab.config import (
    ACTIVATIONS,
    COMMANDS,
    DATASETS,
    LOSSES,
    MAX_BODY,
    MAX_LAYERS,
    MAX_PARAMETERS,
    MAX_WIDTH,
    OPTIMIZERS,
    LabInputError,
    RunConfig,
    command_of,
    configure,
    parse_body,
)

FIELDS = sorted(RunConfig().to_json())
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=8) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=20)


def in_range(config: RunConfig) -> bool:
    sizes = [64 if config.dataset == "digits" else 3 if config.dataset == "linear" else 2,
             *config.hidden, 10 if config.dataset == "digits" else 1]
    parameters = sum((a + 1) * b for a, b in pairwise(sizes))
    return (config.dataset in DATASETS and config.activation in ACTIVATIONS
            and config.optimizer in OPTIMIZERS and config.loss in LOSSES[config.dataset]
            and len(config.hidden) <= MAX_LAYERS
            and all(type(w) is int and 1 <= w <= MAX_WIDTH for w in config.hidden)
            and parameters <= MAX_PARAMETERS
            and 0 < config.lr <= 10 and 0 <= config.momentum <= 0.99
            and (config.batch_size is None or 1 <= config.batch_size <= 10_000)
            and type(config.seed) is int and type(config.points) is int
            and 4 <= config.points <= 1000 and 0 <= config.speed <= 10_000)


@given(st.dictionaries(st.sampled_from([*FIELDS, "eval", "__class__"]), json_values,
                       max_size=4))
def test_any_change_is_a_setting_in_range_or_a_named_error(changes: dict[str, Any]) -> None:
    try:
        config = configure(RunConfig(), changes)
    except LabInputError as e:
        text = str(e)
        assert text.startswith(("config.", "config:")), text
        assert len(text) < 300, "an error message must stay readable"
        return
    assert in_range(config)
    assert configure(RunConfig(), config.to_json()) == config  # what the page gets back works


@given(st.sampled_from(FIELDS), json_values)
def test_a_wrong_field_names_itself(name: str, value: Any) -> None:
    try:
        configure(RunConfig(), {name: value})
    except LabInputError as e:
        assert str(e).startswith(f"config.{name}"), str(e)


@given(st.binary(max_size=200))
def test_any_bytes_are_a_json_object_or_a_named_error(body: bytes) -> None:
    try:
        message = parse_body(body)
    except LabInputError as e:
        assert str(e).startswith("the message")
        return
    assert isinstance(message, dict)


@given(st.dictionaries(st.sampled_from(["command", "steps", "sample", "config", "x"]),
                       json_values | st.sampled_from(COMMANDS), max_size=3))
def test_any_command_is_known_or_a_named_error(message: dict[str, Any]) -> None:
    try:
        name, arg = command_of(message)
    except LabInputError:
        return
    assert name in COMMANDS
    if name == "step":
        assert type(arg) is int and 1 <= arg <= 10_000


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity"])
def test_non_numbers_json_does_not_have_are_refused(text: str) -> None:
    with pytest.raises(LabInputError, match=text):
        parse_body(f'{{"command": "set", "config": {{"lr": {text}}}}}'.encode())
    assert math.isinf(json.loads("1e999"))  # what 1e999 becomes: refused as a number below
    with pytest.raises(LabInputError, match=r"config\.lr must be above 0 and at most 10"):
        configure(RunConfig(), parse_body(b'{"lr": 1e999}'))


def test_a_body_over_the_limit_is_refused_unread() -> None:
    with pytest.raises(LabInputError, match=f"at most {MAX_BODY}"):
        parse_body(b" " * (MAX_BODY + 1))


def test_a_long_string_is_shown_short() -> None:
    with pytest.raises(LabInputError) as caught:
        configure(RunConfig(), {"dataset": "x" * 10_000})
    assert len(str(caught.value)) < 200


def test_changing_the_dataset_takes_its_default_loss() -> None:
    assert configure(RunConfig(), {"dataset": "digits"}).loss == "cross_entropy"
    assert configure(RunConfig(), {"dataset": "linear"}).loss == "mse"
    with pytest.raises(LabInputError, match="digits trains with cross_entropy, not hinge"):
        configure(RunConfig(), {"dataset": "digits", "loss": "hinge"})
