"""Model files at the edges (issue 13): every bad file or path gives a typed error naming it.

Loading: nesting that would recurse, integers no float holds, random bytes, a folder, a
missing file. Saving: long names, the empty path, symlinks, things that are not files,
weights that would not load again, and what a crashed save leaves behind.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlp import MLP, files, serial

ROOT = Path(__file__).resolve().parents[2]


def good_text() -> str:
    model = MLP(3, [2, 1], activation="tanh", seed=0)
    doc = {"format": "chainrule-module", "version": 1, "class": "MLP",
           "config": model.config(), "state": model.state_dict()}
    return json.dumps(doc)


def load_text(tmp_path: Path, content: str | bytes) -> Any:
    path = tmp_path / "m.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return MLP.load(path)


# --- loading: nothing escapes as an untyped error ------------------------------------------


@pytest.mark.parametrize(
    "content",
    ["[" * 100_000 + "]" * 100_000,
     '{"a": ' * 100_000 + "1" + "}" * 100_000,
     good_text().replace('"nouts": [2, 1]', '"nouts": ' + "[" * 5000 + "]" * 5000)],
    ids=["arrays", "objects", "inside-the-config"],
)
def test_json_nested_past_the_recursion_limit_is_a_value_error(tmp_path: Path,
                                                               content: str) -> None:
    # Was: RecursionError from the json parser. Where the parser gives up depends on the
    # Python (3.13's parses 5,000 levels, and the depth check refuses them): either message.
    with pytest.raises(ValueError, match=r"m\.json: not a model file: JSON nested (too deeply|"
                                         r"33 levels deep or more) \(a model file nests 32 "):
        load_text(tmp_path, content)


def test_json_nested_deeper_than_a_model_file_is_refused_before_any_message_shows_it(
        tmp_path: Path) -> None:
    # 500 levels parse, but the message that shows 'format' would repr them, recursively.
    deep = "[" * 500 + "]" * 500
    with pytest.raises(ValueError, match=r"not a model file: JSON nested 33 levels deep"):
        load_text(tmp_path, good_text().replace('"chainrule-module"', deep))


def test_nesting_up_to_the_limit_is_read_and_judged_on_its_content(tmp_path: Path) -> None:
    deep = "[" * (serial.MAX_DEPTH - 1) + "]" * (serial.MAX_DEPTH - 1)
    with pytest.raises(ValueError, match=r"wrong format: 'format' is \[\[\["):
        load_text(tmp_path, good_text().replace('"chainrule-module"', deep))


@pytest.mark.parametrize("where", ['"version": 1', '"nin": 3', '"layers.0.neurons.0.b": 0.0'])
def test_an_integer_longer_than_any_float_is_a_value_error_naming_its_digits(
        tmp_path: Path, where: str) -> None:
    # Was: Python's "Exceeds the limit (4300 digits) for integer string conversion".
    key = where.split(":", maxsplit=1)[0]
    with pytest.raises(ValueError, match=r"an integer of 5000 digits"):
        load_text(tmp_path, good_text().replace(where, f"{key}: -{'9' * 5000}"))


def test_integers_are_read_up_to_the_length_of_the_largest_float(tmp_path: Path) -> None:
    bias = '"layers.0.neurons.0.b": 0.0'
    model = load_text(tmp_path, good_text().replace(bias, bias[:-3] + "9" * 308))
    assert model.state_dict()["layers.0.neurons.0.b"] == float("9" * 308)
    with pytest.raises(ValueError, match=r"an integer of 309 digits"):
        load_text(tmp_path, good_text().replace(bias, bias[:-3] + "1" + "0" * 308))


JSON_BITS = st.sampled_from(['[', ']', '{', '}', '"', ',', ':', '1', '-', '.', 'e', '9' * 400,
                             'NaN', 'Infinity', 'true', 'null', '"format"', '"state"',
                             '"config"', '"chainrule-module"', '\\', 'é', '\x00', ' '])


@settings(max_examples=300)
@given(content=st.one_of(st.binary(max_size=300),
                         st.lists(JSON_BITS, max_size=60).map("".join),
                         st.tuples(st.integers(0, 600), st.text(max_size=20)).map(
                             lambda cut: good_text()[: cut[0]] + cut[1]
                             + good_text()[cut[0] + len(cut[1]):])))
def test_any_content_loads_or_raises_value_error_naming_the_path(tmp_path_factory: Any,
                                                                 content: str | bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "m.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8", "surrogatepass"))
    try:
        model = MLP.load(path)
    except ValueError as e:
        assert str(e).startswith(f"{path}: "), e
    else:
        assert isinstance(model, MLP)


def test_loading_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    # Was: "[Errno 21] Is a directory", from open().
    with pytest.raises(IsADirectoryError, match=rf"MLP\.load: {tmp_path} is a folder"):
        MLP.load(tmp_path)


def test_loading_a_missing_file_is_file_not_found_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(FileNotFoundError) as info:
        MLP.load(path)
    assert info.value.filename == str(path)
    assert str(info.value).startswith("[Errno 2] MLP.load: ")


@pytest.mark.parametrize("path", [123, None, 1.5])
def test_a_path_that_is_not_a_path_is_a_type_error_naming_the_method(path: object) -> None:
    with pytest.raises(TypeError, match=r"^MLP\.load: path must be a str or a path-like"):
        MLP.load(path)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^MLP\.save: path must be a str or a path-like"):
        MLP(2, [1], seed=0).save(path)  # type: ignore[arg-type]


def test_a_bytes_path_saves_and_loads(tmp_path: Path) -> None:
    # Was: save made a temporary name from the repr of the bytes, then failed to join paths.
    path = os.fsencode(tmp_path / "m.json")
    MLP(2, [1], seed=0).save(path)  # type: ignore[arg-type]
    assert MLP.load(path).state_dict() == MLP(2, [1], seed=0).state_dict()  # type: ignore[arg-type]


def test_a_path_with_a_nul_character_is_refused_naming_it() -> None:
    # Was: "embedded null byte", naming nothing.
    with pytest.raises(ValueError, match=r"'a\\x00b': the path contains a NUL character"):
        MLP.load("a\x00b")


# --- saving ---------------------------------------------------------------------------------


def test_a_file_name_as_long_as_the_file_system_allows_saves_and_loads(tmp_path: Path) -> None:
    # Was: "File name too long", naming the temporary file (its name was longer still).
    longest = os.pathconf(tmp_path, "PC_NAME_MAX")
    path = tmp_path / ("m" * (longest - 5) + ".json")
    MLP(2, [1], seed=0).save(path)
    assert MLP.load(path).state_dict() == MLP(2, [1], seed=0).state_dict()
    assert os.listdir(tmp_path) == [path.name]


def test_long_names_with_multibyte_characters_get_short_distinct_temporaries() -> None:
    a, b = "é" * 100 + "a.json", "é" * 100 + "b.json"
    stems = files._temporary_stem(a), files._temporary_stem(b)
    assert stems[0] != stems[1]
    assert all(len(os.fsencode(s)) < 100 for s in stems)


def test_saving_to_the_empty_path_is_a_value_error_that_says_so() -> None:
    # Was: FileNotFoundError naming the temporary file: "'..nhp105dz.tmp' -> ''".
    with pytest.raises(ValueError, match=r"^MLP\.save: the path is empty"):
        MLP(2, [1], seed=0).save("")


def test_saving_through_a_symlink_writes_the_file_it_points_to(tmp_path: Path) -> None:
    # Was: the link was replaced by a regular file and the target kept its old content.
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    MLP(2, [1], seed=3).save(link)
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert MLP.load(target).state_dict() == MLP(2, [1], seed=3).state_dict()
    assert sorted(os.listdir(tmp_path)) == ["link.json", "real.json"]


def test_saving_through_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to("made.json")
    MLP(2, [1], seed=0).save(link)
    assert link.is_symlink()
    assert json.loads((tmp_path / "made.json").read_text(encoding="utf-8"))["class"] == "MLP"


def test_saving_through_a_symlink_loop_is_an_os_error_naming_the_path(tmp_path: Path) -> None:
    link = tmp_path / "loop.json"
    link.symlink_to("loop.json")
    with pytest.raises(OSError, match=r"MLP\.save: Too many levels") as info:
        MLP(2, [1], seed=0).save(link)
    assert info.value.errno == errno.ELOOP and info.value.filename == str(link)
    assert link.is_symlink()


def test_saving_over_something_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match=r"pipe exists and is not a regular file"):
        MLP(2, [1], seed=0).save(fifo)
    assert os.listdir(tmp_path) == ["pipe"]


def test_a_weight_that_would_not_load_again_is_refused_at_save(tmp_path: Path) -> None:
    model = MLP(2, [1], seed=0)
    model.parameters()[0].data = float("inf")
    with pytest.raises(ValueError, match=r"cannot save MLP: parameter layers\.0\.neurons\.0\.w\.0 "
                                         r"is inf"):
        model.save(tmp_path / "m.json")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(("weight", "error"), [(True, TypeError), ("0.5", TypeError),
                                               (10**400, OverflowError)],
                         ids=["bool", "str", "huge-int"])
def test_a_weight_that_is_not_a_float_cannot_be_written_so_what_is_saved_loads(
        tmp_path: Path, weight: object, error: type[Exception]) -> None:
    # Was: True saved as `true`, which load then refused; now .data refuses it at the door.
    model = MLP(2, [1], seed=0)
    with pytest.raises(error, match=r"^Value\.data: "):
        model.parameters()[0].data = weight  # type: ignore[assignment]
    model.save(tmp_path / "m.json")
    assert MLP.load(tmp_path / "m.json").state_dict() == model.state_dict()


def test_an_int_weight_is_saved_as_a_float_and_loads(tmp_path: Path) -> None:
    model = MLP(2, [1], seed=0)
    model.parameters()[0].data = 3
    model.save(tmp_path / "m.json")
    assert MLP.load(tmp_path / "m.json").parameters()[0].data == 3.0


def test_a_failed_write_names_the_path_given_not_the_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    path = tmp_path / "m.json"
    with pytest.raises(OSError, match=r"MLP\.save: No space left on device") as info:
        MLP(2, [1], seed=0).save(path)
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(path)
    assert ".tmp" not in str(info.value)
    assert os.listdir(tmp_path) == []


CRASHING_SAVE = """
import os, sys
from mlp import MLP
os.replace = lambda src, dst: os._exit(3)  # the process dies between write and rename
MLP(2, [1], seed=1).save(sys.argv[1])
"""


def test_the_next_save_removes_what_a_crashed_save_left_behind(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    MLP(2, [1], seed=0).save(path)
    old = path.read_bytes()
    crashed = subprocess.run([sys.executable, "-c", CRASHING_SAVE, str(path)], cwd=ROOT,
                             check=False)
    assert crashed.returncode == 3
    (leftover,) = [n for n in os.listdir(tmp_path) if n != "m.json"]
    assert path.read_bytes() == old  # the old file is whole
    an_hour_ago = time.time() - 3600
    os.utime(tmp_path / leftover, (an_hour_ago, an_hour_ago))
    MLP(2, [1], seed=2).save(path)
    assert os.listdir(tmp_path) == ["m.json"]  # was: the leftover stayed for good


def test_a_fresh_temporary_may_be_another_save_in_progress_and_is_left_alone(
        tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    in_progress = tmp_path / (files._temporary_stem("m.json") + "0123abcd.tmp")
    in_progress.write_text("{", encoding="utf-8")
    other = tmp_path / ".m.json.x.0123abcd.tmp"  # another file's temporary
    other.write_text("{", encoding="utf-8")
    os.utime(other, (0, 0))
    MLP(2, [1], seed=0).save(path)
    assert sorted(os.listdir(tmp_path)) == sorted(["m.json", in_progress.name, other.name])
