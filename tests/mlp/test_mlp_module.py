"""Module state and files: round trips, atomic writes, and every bad file refused by name."""

from __future__ import annotations

import json
import math
import os
import pickle
import random
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from mlp import MLP, Layer, Neuron

ACTIVATIONS = [None, "relu", "tanh", "sigmoid"]


def outputs(model: MLP, x: list[float]) -> list[float]:
    out = model(x)
    return [out.data] if isinstance(out, Value) else [v.data for v in out]


def exact(state: dict[str, float]) -> list[tuple[str, str]]:
    """The state with every float as its repr, so -0.0 and 0.0 differ."""
    return [(k, repr(v)) for k, v in state.items()]


@st.composite
def models(draw: st.DrawFn) -> MLP:
    nin = draw(st.integers(1, 4))
    nouts = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    model = MLP(nin, nouts, activation=draw(st.sampled_from(ACTIVATIONS)),
                output_activation=draw(st.sampled_from(ACTIVATIONS)), seed=0)
    weights = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
    values = draw(st.lists(weights, min_size=len(model.parameters()),
                           max_size=len(model.parameters())))
    model.load_state_dict(dict(zip(model.state_dict(), values, strict=True)))
    return model


@settings(max_examples=40)
@given(model=models(), x=st.lists(st.floats(-2, 2), min_size=4, max_size=4))
def test_save_then_load_gives_the_same_state_and_the_same_outputs(model: MLP,
                                                                  x: list[float]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.json")
        model.save(path)
        loaded = MLP.load(path)
    assert loaded.config() == model.config()
    assert exact(loaded.state_dict()) == exact(model.state_dict())
    assert outputs(loaded, x[: model.nin]) == outputs(model, x[: model.nin])
    assert [p.label for p in loaded.parameters()] == [p.label for p in model.parameters()]


def test_neuron_and_layer_round_trip_too(tmp_path: Path) -> None:
    layer = Layer(3, 2, activation="tanh")
    layer.save(tmp_path / "layer.json")
    assert Layer.load(tmp_path / "layer.json").state_dict() == layer.state_dict()
    neuron = Neuron(2, activation="sigmoid")
    neuron.save(tmp_path / "neuron.json")
    assert Neuron.load(tmp_path / "neuron.json").state_dict() == neuron.state_dict()


def test_the_file_is_plain_json_with_a_format_version(tmp_path: Path) -> None:
    MLP(3, [2, 1], activation=None, seed=0).save(tmp_path / "m.json")
    assert os.listdir(tmp_path) == ["m.json"]  # no temporary file left behind
    doc = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert (doc["format"], doc["version"], doc["class"]) == ("chainrule-module", 1, "MLP")
    assert doc["config"] == {"nin": 3, "nouts": [2, 1], "activation": None,
                             "output_activation": None}
    assert list(doc["state"])[:4] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                                      "layers.0.neurons.0.w.2", "layers.0.neurons.0.b"]


def test_loading_does_not_touch_the_global_random_state(tmp_path: Path) -> None:
    MLP(2, [3, 1], seed=0).save(tmp_path / "m.json")
    before = random.getstate()
    MLP.load(tmp_path / "m.json")
    assert random.getstate() == before


def test_save_replaces_the_file_atomically_through_a_temporary_file_beside_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.json"
    MLP(2, [3, 1], seed=0).save(path)
    old = path.read_bytes()
    moves: list[tuple[str, str]] = []

    def failing_replace(src: str, dst: str) -> None:
        moves.append((src, dst))
        assert json.loads(Path(src).read_text(encoding="utf-8"))["class"] == "MLP"  # complete
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk gone"):
        MLP(2, [3, 1], seed=1).save(path)
    assert path.read_bytes() == old  # the old file is whole
    assert os.listdir(tmp_path) == ["m.json"]  # and the temporary file is gone
    ((src, dst),) = moves
    assert os.path.dirname(src) == str(tmp_path) and dst == str(path)


def test_save_writes_nothing_for_a_non_finite_weight(tmp_path: Path) -> None:
    model = MLP(2, [1], seed=0)
    model.parameters()[1].data = math.nan
    with pytest.raises(ValueError, match=r"cannot save MLP: parameter \S+\.w\.1 is nan"):
        model.save(tmp_path / "m.json")
    assert os.listdir(tmp_path) == []


def good_doc() -> dict[str, Any]:
    model = MLP(3, [2, 1], activation=None, seed=0)
    return {"format": "chainrule-module", "version": 1, "class": "MLP",
            "config": model.config(), "state": model.state_dict()}


def edited(**changes: Any) -> str:
    doc = good_doc()
    for key, value in changes.items():
        if value is None:
            del doc[key]
        else:
            doc[key] = value
    return json.dumps(doc)


def with_state(name: str, value: object) -> str:
    doc = good_doc()
    doc["state"][name] = value
    return json.dumps(doc)


BAD_FILES: list[tuple[str, str | bytes, str]] = [
    ("not json", "hello", r"not JSON: Expecting value \(line 1, column 1\)"),
    ("empty", "", r"not JSON: the file is empty"),
    ("a pickle", pickle.dumps({"w": 1.0}), r"not JSON: not UTF-8 text"),
    ("truncated", json.dumps(good_doc())[:150], r"not JSON: truncated"),
    ("a list", "[1, 2]", r"wrong format: expected a JSON object, got an array"),
    ("other format", edited(format="keras"), r"wrong format: 'format' is 'keras'"),
    ("no state", edited(state=None), r"wrong format: missing 'state'"),
    ("extra key", edited(optimizer={}), r"wrong format: unexpected key\(s\) 'optimizer'"),
    ("newer version", edited(version=2), r"unsupported format version 2"),
    ("string version", edited(version="1"), r"'version' must be an int"),
    ("other class", edited(**{"class": "Layer"}), r"the file holds a 'Layer', not a 'MLP'"),
    ("state not object", edited(state=[1.0]), r"'state' must be a JSON object, got an array"),
    ("bad config", edited(config={"nin": 3}), r"bad config for MLP: .*exactly the keys"),
    ("bad activation", edited(config={"nin": 3, "nouts": [2, 1], "activation": "gelu",
                                      "output_activation": None}),
     r"bad config for MLP: unknown activation 'gelu'"),
    ("wrong shapes", edited(config={"nin": 3, "nouts": [3, 1], "activation": None,
                                    "output_activation": None}),
     r"state does not fit MLP\(nin=3, nouts=\[3, 1\].*\): MLP has 16 parameters, "
     r"the state has 11$"),
    ("shapes for a smaller model", edited(config={"nin": 2, "nouts": [2, 1], "activation": None,
                                                  "output_activation": None}),
     r"state does not fit MLP\(2, \[2, 1\].*MLP has 9 parameters, the state has 11: "
     r"unexpected layers\.0\.neurons\.0\.w\.2, layers\.0\.neurons\.1\.w\.2$"),
    ("NaN", with_state("layers.0.neurons.1.w.2", 12345.5).replace("12345.5", "NaN"),
     r"non-finite number NaN"),
    ("Infinity", with_state("layers.1.neurons.0.b", math.inf).replace("Infinity", "-Infinity"),
     r"non-finite number -Infinity"),
    ("1e400", with_state("layers.0.neurons.0.b", 12345.5).replace("12345.5", "1e400"),
     r"parameter layers\.0\.neurons\.0\.b is non-finite \(inf\)"),
    ("a string weight", with_state("layers.0.neurons.0.w.0", "0.5"),
     r"parameter layers\.0\.neurons\.0\.w\.0 must be a number, got str"),
    ("a bool weight", with_state("layers.0.neurons.0.b", True),
     r"parameter layers\.0\.neurons\.0\.b must be a number, got bool"),
    ("unexpected weight", with_state("layers.0.neurons.0.w.3", 1.0),
     r"unexpected layers\.0\.neurons\.0\.w\.3"),
    ("duplicate key", json.dumps(good_doc())[:-2] + ', "layers.0.neurons.0.b": 1.0}}',
     r"duplicate key 'layers\.0\.neurons\.0\.b'"),
]


@pytest.mark.parametrize(("case", "content", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_raises_value_error_naming_the_problem(tmp_path: Path, case: str,
                                                          content: str | bytes,
                                                          message: str) -> None:
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        MLP.load(path)
    assert str(info.value).startswith(str(path) + ": ")


def test_a_file_cut_anywhere_is_reported_as_truncated(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    MLP(2, [2, 1], activation="tanh", seed=0).save(path)
    text = path.read_text(encoding="utf-8").rstrip()
    for cut in range(1, len(text), 7):
        path.write_text(text[:cut], encoding="utf-8")
        with pytest.raises(ValueError, match="not JSON: truncated"):
            MLP.load(path)


def test_load_state_dict_is_all_or_nothing() -> None:
    model = MLP(2, [2, 1], seed=0)
    before = model.state_dict()
    state = dict(before, **{"layers.1.neurons.0.b": math.nan})
    state["layers.0.neurons.0.w.0"] = 0.123
    with pytest.raises(ValueError, match="non-finite"):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_save_keeps_an_existing_files_permissions(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    MLP(2, [1], seed=0).save(path)
    assert path.stat().st_mode & 0o777 == 0o640
    MLP(2, [1], seed=0).save(tmp_path / "new.json")
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o644


def test_a_config_bigger_than_its_state_is_refused_before_the_model_is_built(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A 40-line file must not make load() build a model of 10**12 weights first.
    doc = good_doc()
    doc["config"]["nin"] = 10**12
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setattr(MLP, "from_config", None)  # building it would be the bug
    with pytest.raises(ValueError, match=r"state does not fit MLP\(nin=1000000000000, .*: "
                                         r"MLP has 2000000000005 parameters, the state has 11"):
        MLP.load(path)


@pytest.mark.parametrize("where", ["folder", "missing"])
def test_save_to_a_folder_or_into_a_missing_folder_names_the_path_given(
        tmp_path: Path, where: str) -> None:
    path = tmp_path if where == "folder" else tmp_path / "no-such-folder" / "m.json"
    error = IsADirectoryError if where == "folder" else FileNotFoundError
    with pytest.raises(error) as info:
        MLP(2, [1], seed=0).save(path)
    message = str(info.value)
    assert message.startswith(f"MLP.save: {path}"), message
    assert ".tmp" not in message
    assert sorted(os.listdir(tmp_path)) == []
