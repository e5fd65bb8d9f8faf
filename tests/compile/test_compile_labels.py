"""Labels never change what a compiled program computes: Python compares identifiers after
NFKC normalisation, so a label like ``𝐝L_dL`` (a bold d) is the name ``dL_dL`` to Python, and
a label must never be allowed to stand for a name the compiler writes itself (a gradient
``dL_dv``, a rule ``tanh``, a loop variable ``_total``, the output ``L``, a temporary ``t1``)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, define_op, grad

GENERATED = ["dL_dL", "dL_dw", "dL_dx", "dL_dt1", "dout1_dx", "dout2_dw1", "L", "t1", "t2",
             "t3", "p1", "p2", "a1", "a2", "out1", "out2", "mul", "add", "tanh", "wsum",
             "tanh_t1", "mul_partials", "inf", "nan", "x", "w1", "w2", "_p", "_p1", "_total",
             "_seed", "_P", "_c0", "_out", "_arg_grads", "v", "v_2"]


def bold(ch: str) -> str:
    """The mathematical bold letter for an ASCII letter (NFKC gives the letter back)."""
    if "a" <= ch <= "z":
        return chr(0x1D41A + ord(ch) - ord("a"))
    if "A" <= ch <= "Z":
        return chr(0x1D400 + ord(ch) - ord("A"))
    return ch


def fullwidth(ch: str) -> str:
    return chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch


@st.composite
def look_alike(draw: st.DrawFn) -> str:
    """A generated name with some characters swapped for ones NFKC maps back to them."""
    name = draw(st.sampled_from(GENERATED))
    swaps = draw(st.lists(st.sampled_from([bold, fullwidth, lambda ch: ch]), min_size=len(name),
                          max_size=len(name)))
    return "".join(f(ch) for f, ch in zip(swaps, name, strict=True))


labels = st.one_of(st.sampled_from(GENERATED), look_alike(), st.text(max_size=6), st.just(""))


def test_a_bold_look_alike_of_a_gradient_name_is_the_same_python_name() -> None:
    # The premise, so the property below tests what it says.
    assert unicodedata.normalize("NFKC", "\U0001d41dL_dL") == "dL_dL"
    assert unicodedata.normalize("NFKC", "𝐝L_dx") == "dL_dx"


def model(names: list[str]) -> tuple[list[Value], Callable[[Value], Value]]:
    w1, w2 = Value(0.7, label=names[0]), Value(-1.3, label=names[1])

    def fn(x: Value) -> Value:
        a = w1 * x
        a.label = names[2]
        b = a * a + w2
        b.label = names[3]
        c = b.tanh()
        c.label = names[4]
        out = c * a + x.exp()
        out.label = names[5]
        return out

    return [w1, w2], fn


def close(got: list[float], want: list[float]) -> bool:
    """Equal to rounding (the compiled backward pass may add a gradient's terms in another
    order); a label bound to the wrong variable is off by far more."""
    return len(got) == len(want) and all(abs(a - b) <= 1e-12 * max(abs(a), abs(b)) + 1e-15
                                         for a, b in zip(got, want, strict=True))


def eager(fn: Callable[[Value], Value], params: list[Value], xs: list[float]) -> list[float]:
    values = [Value(x) for x in xs]
    outs = [fn(v) for v in values]
    total = sum(outs[1:], outs[0]) / len(outs)
    return [total.data, *grad(total, [*params, *values])]


@settings(max_examples=150, deadline=None)
@given(st.lists(labels, min_size=6, max_size=6))
def test_no_label_changes_compiled_results(names: list[str]) -> None:
    params, fn = model(names)
    prog = autograd.compile(fn, 0.4)
    want = eager(fn, params, [0.4])
    out = prog(Value(0.4))
    assert close([out.data, *grad(out, params)], want[:3]), prog.source
    x = Value(0.4)
    assert close(grad(prog(x), [x]), want[3:]), prog.source
    xs = [0.4, -0.9, 1.6]
    want = eager(fn, params, xs)
    loss = prog.mean(xs)
    assert close([loss.data, *grad(loss, params)], want[:3]), prog.source


@settings(max_examples=60, deadline=None)
@given(st.lists(labels, min_size=3, max_size=3))
def test_no_label_changes_a_program_of_several_outputs(names: list[str]) -> None:
    w = Value(0.5, label=names[0])

    def fn(x: Value) -> tuple[Value, Value]:
        a, b = (w * x).tanh(), (w + x) * x
        a.label, b.label = names[1], names[2]
        return a, b

    prog = autograd.compile(fn, 0.3)
    for k in range(2):
        x = Value(0.3)
        got = prog(x)[k]
        x_eager = Value(0.3)
        exp = fn(x_eager)[k]
        assert close([got.data, *grad(got, [w, x])], [exp.data, *grad(exp, [w, x_eager])]), \
            prog.source


def test_a_user_op_named_with_a_look_alike_compiles() -> None:
    # A rule is called by its op's name in the source; Python looks up "cube" for "𝐜ube",
    # so the rule must be found under the name Python reads.
    cube = define_op("𝐜ube", lambda a: a ** 3, lambda a, out: (3 * a ** 2,))
    w = Value(1.5, label="w")
    prog = autograd.compile(lambda x: cube(w * x), 2.0)
    out = prog(2.0)
    assert out.data == 27.0
    assert grad(out, [w]) == [3 * 9.0 * 2.0]
    assert prog.fallbacks == 0  # ran the compiled code, not the eager rerun after a NameError
