"""The typed user code runs (CI's mypy --strict checks its types), and the typing it relies on
says the truth at run time: ``.grad`` and ``grad_value``, ``MLP[...]``, ``draw_graph``'s type.
"""

from __future__ import annotations

import graphviz
import pytest

from autograd import Value, draw_graph, grad
from mlp import MLP

from . import typed_user_code


def test_the_typed_user_code_runs(capsys: pytest.CaptureFixture[str]) -> None:
    typed_user_code.main()
    assert "step 9: loss" in capsys.readouterr().out


def test_the_pytorch_names_give_the_slopes_central_differences_see() -> None:
    h = 1e-5
    d1, d2 = typed_user_code.pytorch_names(0.4)
    up, down = typed_user_code.pytorch_names(0.4 + h), typed_user_code.pytorch_names(0.4 - h)
    assert d2 == pytest.approx((up[0] - down[0]) / (2 * h), rel=1e-6)
    assert d1 != 0.0 and d2 != 0.0


def test_grad_is_a_float_after_backward_and_grad_value_refuses_it() -> None:
    x = Value(3.0)
    (x * x).backward()
    assert type(x.grad) is float
    with pytest.raises(TypeError, match=r"^grad_value: this node's grad is a float, not a "
                                        r"Value; call backward\(create_graph=True\) first"):
        _ = x.grad_value


def test_grad_value_is_the_value_create_graph_leaves_in_grad() -> None:
    x = Value(3.0)
    (x * x * x).backward(create_graph=True)
    assert isinstance(x.grad, Value)  # the contract: .grad holds the Value
    assert x.grad_value is x.grad
    assert grad(x.grad_value, [x]) == [18.0]


def test_an_mlp_can_be_parametrised_at_run_time_as_its_annotation_says() -> None:
    several = MLP[list[Value]](2, [4, 3], seed=0)
    assert isinstance(several, MLP)
    outputs = several([1.0, 2.0])
    assert isinstance(outputs, list) and len(outputs) == 3
    single = MLP[Value](2, [4, 1], seed=0)
    assert isinstance(single([1.0, 2.0]), Value)


def test_draw_graph_is_typed_as_what_it_returns() -> None:
    assert draw_graph.__annotations__["return"] == "Digraph"
    assert isinstance(draw_graph(Value(2.0) * 3), graphviz.Digraph)
