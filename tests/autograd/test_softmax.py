"""softmax, log_softmax and logsumexp: one stable node, right at every order, compiled alike."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value, gradcheck, log_softmax, logsumexp, softmax

logits = st.lists(st.floats(-50, 50), min_size=1, max_size=8)


def naive_lse(z: list[float]) -> float:
    return math.log(sum(math.exp(x) for x in z))


@given(logits)
def test_logsumexp_is_log_of_the_sum_of_exps(z: list[float]) -> None:
    assert logsumexp(z).data == pytest.approx(naive_lse(z), rel=1e-12, abs=1e-12)


@given(logits, st.floats(-1e4, 1e4))
def test_logsumexp_shifts_with_its_operands(z: list[float], c: float) -> None:
    shifted = logsumexp([x + c for x in z]).data
    assert shifted == pytest.approx(logsumexp(z).data + c, rel=1e-9, abs=1e-9)


def test_huge_and_tiny_logits_give_finite_right_answers() -> None:
    assert logsumexp([1000.0, 1000.0]).data == pytest.approx(1000.0 + math.log(2.0))
    assert logsumexp([-1000.0, -1000.0]).data == pytest.approx(-1000.0 + math.log(2.0))
    assert [p.data for p in log_softmax([1000.0, -1000.0])] == [0.0, -2000.0]
    assert [p.data for p in softmax([1000.0, -1000.0, 1000.0])] == pytest.approx([0.5, 0.0, 0.5],
                                                                          rel=1e-12)


@given(logits)
def test_softmax_is_a_distribution(z: list[float]) -> None:
    ps = [p.data for p in softmax(z)]
    assert all(0.0 <= p <= 1.0 for p in ps)
    assert sum(ps) == pytest.approx(1.0, rel=1e-12)


@given(logits)
def test_log_softmax_is_the_log_of_softmax(z: list[float]) -> None:
    for lp, p in zip(log_softmax(z), softmax(z), strict=True):
        assert math.exp(lp.data) == pytest.approx(p.data, rel=1e-12, abs=1e-300)


def test_logsumexp_is_one_node_over_its_operands() -> None:
    z = [Value(0.5), Value(-1.0), Value(2.0)]
    out = logsumexp(z)
    assert out.op == "logsumexp"
    assert out.inputs == tuple(z)
    assert autograd.OPS["logsumexp"].arity is None


def test_the_gradient_of_logsumexp_is_softmax() -> None:
    z = [Value(0.5), Value(-1.0), Value(2.0)]
    logsumexp(z).backward()
    for v, p in zip(z, softmax([0.5, -1.0, 2.0]), strict=True):
        assert v.grad == pytest.approx(p.data, rel=1e-15)


@pytest.mark.parametrize("k", [0, 1, 2])
def test_softmax_and_log_softmax_pass_gradcheck_to_second_order(k: int) -> None:
    point = [0.3, -1.2, 2.0]
    assert gradcheck(lambda *z: softmax(list(z))[k], point, order=2)
    assert gradcheck(lambda *z: log_softmax(list(z))[k], point, order=2)
    assert gradcheck(lambda *z: logsumexp(list(z)) * z[k], point, order=2)


def test_compiled_log_softmax_equals_eager() -> None:
    w = [Value(0.7), Value(-0.4), Value(1.3)]

    def fn(x: Value) -> Value:
        return log_softmax([wi * x for wi in w])[1]

    prog = autograd.compile(fn, 1.5)
    for x in (1.5, -3.0, 400.0):
        compiled = prog(x)
        compiled.backward()
        grads = [wi.grad for wi in w]
        for wi in w:
            wi.grad = 0.0
        eager = fn(Value(x))
        eager.backward()
        assert compiled.data == pytest.approx(eager.data, rel=1e-12)
        assert grads == pytest.approx([wi.grad for wi in w], rel=1e-12)
        for wi in w:
            wi.grad = 0.0


@pytest.mark.parametrize(("arg", "error", "message"), [
    ([], ValueError, "logsumexp: needs at least one value"),
    ("abc", TypeError, "logsumexp: takes a list of Values or numbers"),
    (Value(1.0), TypeError, "logsumexp: takes a list of Values or numbers"),
    ([1.0, "x"], TypeError, "logsumexp: item 1 must be a Value or a number, got str"),
    ([1.0, None], TypeError, "logsumexp: item 1 must be a Value or a number, got NoneType"),
])
def test_bad_operands_are_typed_errors_naming_the_function(arg: object, error: type,
                                                           message: str) -> None:
    with pytest.raises(error, match=message):
        logsumexp(arg)  # type: ignore[arg-type]


def test_the_table_op_refuses_no_operands() -> None:
    with pytest.raises(TypeError, match="logsumexp: needs at least one operand"):
        autograd.OPS["logsumexp"]()


def test_an_inf_operand_carries_on_as_ieee_floats_do() -> None:
    assert logsumexp([math.inf, 0.0]).data == math.inf
    assert logsumexp([-math.inf, 0.0]).data == 0.0
    assert math.isnan(logsumexp([math.nan, 0.0]).data)


def test_softmax_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    z = [0.3, -1.2, 2.0, 1000.0, -7.5]
    mine = [p.data for p in softmax(z)], [p.data for p in log_softmax(z)]
    t = torch.tensor(z, dtype=torch.float64)
    assert mine[0] == pytest.approx(torch.softmax(t, 0).tolist(), rel=1e-12, abs=1e-300)
    assert mine[1] == pytest.approx(torch.log_softmax(t, 0).tolist(), rel=1e-12)
    assert logsumexp(z).data == pytest.approx(torch.logsumexp(t, 0).item(), rel=1e-15)
