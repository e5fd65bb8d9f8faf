"""Neuron, Layer and MLP: construction, seeding, activations, labels and bad input."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from autograd import Value, no_grad, topological_order
from mlp import MLP, Layer, Neuron


def test_neuron_weighted_sum_is_one_node() -> None:
    n = Neuron(3, rng=random.Random(0))
    x2 = Value(2.0, label="mine")
    out = n([1.0, x2, 3.0])
    assert out.op == "wsum" and out.label == "N1"
    assert out.inputs[:3] == tuple(n.w) and out.inputs[-1] is n.b
    assert out.inputs[4] is x2
    assert [x.label for x in out.inputs[3:6]] == ["x1", "mine", "x3"]
    assert out.data == n.w[0].data * 1.0 + n.w[1].data * 2.0 + n.w[2].data * 3.0


@pytest.mark.parametrize("count", [2, 4, 0])
def test_neuron_with_the_wrong_number_of_inputs_raises_value_error(count: int) -> None:
    n = Neuron(3, rng=random.Random(0))
    with pytest.raises(ValueError, match=rf"Neuron: expected 3 inputs, got {count}"):
        n([1.0] * count)


def test_layer_and_mlp_with_the_wrong_number_of_inputs_raise_value_error() -> None:
    with pytest.raises(ValueError, match="Layer: expected 2 inputs, got 3"):
        Layer(2, 4)([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="MLP: expected 2 inputs, got 1"):
        MLP(2, [4, 1])([1.0])


BATCHES = [[[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]], [[1, 2, 3]], [(1.0, 2.0, 3.0)] * 3,
           [[1, 2], [3, 4]]]


@pytest.mark.parametrize("batch", BATCHES)
@pytest.mark.parametrize("make", [lambda: MLP(3, [2, 1], seed=0), lambda: Layer(3, 2),
                                  lambda: Neuron(3, rng=random.Random(0))])
def test_a_batch_given_for_one_sample_is_named_with_how_to_map(batch: Any, make: Any) -> None:
    # Was: "expected 3 inputs, got 4" (the number of samples read as the number of inputs),
    # or "x[0] must be a real number ..., got list".
    model = make()
    who = type(model).__name__
    with pytest.raises(TypeError, match=rf"^{who}: x is a batch of {len(batch)} sample\(s\) "
                                        rf"\(a 2-D input\); {who} takes one sample, a list of "
                                        rf"3 numbers: map over the samples, "
                                        rf"\[model\(x\) for x in X\]"):
        model(batch)


def test_weights_are_uniform_draws_in_order_and_biases_are_zero_as_in_micrograd() -> None:
    model = MLP(2, [3, 2], seed=42)
    draws = random.Random(42)
    for layer in model.layers:
        for neuron in layer.neurons:
            assert [w.data for w in neuron.w] == [draws.uniform(-1, 1) for _ in neuron.w]
            assert neuron.b.data == 0.0


def test_seed_none_draws_from_the_random_module_so_random_seed_reproduces_it() -> None:
    random.seed(5)
    a = MLP(2, [4, 1])
    b = MLP(2, [4, 1], seed=5)
    assert a.state_dict() == b.state_dict()


def test_same_seed_same_weights_other_seed_other_weights() -> None:
    assert MLP(3, [4, 1], seed=1).state_dict() == MLP(3, [4, 1], seed=1).state_dict()
    assert MLP(3, [4, 1], seed=1).state_dict() != MLP(3, [4, 1], seed=2).state_dict()


@pytest.mark.parametrize(
    ("name", "fn"),
    [(None, lambda s: s), ("linear", lambda s: s), ("relu", lambda s: max(s, 0.0)),
     ("tanh", math.tanh), ("sigmoid", lambda s: 1 / (1 + math.exp(-s)))],
)
def test_activations_apply_to_the_weighted_sum(name: str | None, fn: object) -> None:
    assert callable(fn)
    n = Neuron(2, activation=name, rng=random.Random(3))
    s = n.w[0].data * 0.7 + n.w[1].data * -0.4
    assert math.isclose(n([0.7, -0.4]).data, fn(s), rel_tol=1e-14)


def test_unknown_activation_raises_value_error_listing_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown activation 'gelu'.*'relu', 'tanh', 'sigmoid'"):
        MLP(2, [3, 1], activation="gelu")
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        Neuron(2, activation="softmax")


def test_an_unknown_activation_of_any_length_is_shown_cut_short() -> None:
    # A model file's config can hold any string: a 10,000,000-character one was all shown.
    with pytest.raises(ValueError, match=r"^unknown activation 'r{40}'\.\.\.: valid are None") as e:
        MLP(2, [1], activation="r" * 10_000_000)
    assert len(str(e.value)) < 200


def test_hidden_layers_use_activation_and_the_last_layer_output_activation() -> None:
    model = MLP(2, [3, 3, 1], activation="tanh", output_activation="sigmoid", seed=0)
    assert [layer.activation for layer in model.layers] == ["tanh", "tanh", "sigmoid"]
    assert [layer.activation for layer in MLP(2, [3, 1]).layers] == ["relu", None]


def test_one_output_gives_a_value_several_give_a_list() -> None:
    assert isinstance(MLP(2, [3, 1], seed=0)([1.0, 2.0]), Value)
    out = MLP(2, [3, 2], seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 2
    assert all(isinstance(v, Value) for v in out)


def test_value_inputs_keep_their_labels_and_get_gradients() -> None:
    x = [Value(1.0, label="a"), Value(-2.0, label="b")]
    out = MLP(2, [3, 1], activation="tanh", seed=0)(x)
    assert isinstance(out, Value)
    out.backward()
    assert [v.label for v in x] == ["a", "b"]
    assert any(v.grad != 0.0 for v in x)


def test_bad_inputs_raise_type_error() -> None:
    with pytest.raises(TypeError, match=r"MLP: x\[1\] must be a real number "
                                        r"\(int, float, \.\.\.\) or a Value, got str"):
        MLP(2, [1])([1.0, "2"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="nouts must be a list"):
        MLP(2, 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="nouts must name at least one layer"):
        MLP(2, [])
    with pytest.raises(ValueError, match=r"MLP: nouts\[1\] must be at least 1, got 0"):
        MLP(2, [3, 0])
    with pytest.raises(TypeError, match="MLP: nin must be an int, got float"):
        MLP(2.0, [3])  # type: ignore[arg-type]


def test_parameters_order_is_layer_by_layer_neuron_by_neuron_weights_then_bias() -> None:
    model = MLP(2, [2, 1], seed=0)
    expected = [p for layer in model.layers for n in layer.neurons for p in [*n.w, n.b]]
    assert model.parameters() == expected
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                         "layers.0.neurons.0.b"]
    assert names[-1] == "layers.1.neurons.0.b"


def test_bigger_nets_number_labels_across_the_net() -> None:
    model = MLP(2, [3, 2, 1], activation="relu", output_activation="sigmoid", seed=0)
    labels = [p.label for p in model.parameters()]
    weights = [lab for lab in labels if lab.startswith("w")]
    assert weights == [f"w{i}" for i in range(1, 2 * 3 + 3 * 2 + 2 + 1)]
    assert [lab for lab in labels if lab.startswith("b")] == [f"b{i}" for i in range(1, 7)]
    out = model([0.5, 0.5])
    assert isinstance(out, Value)
    computed = [n.label for n in topological_order(out, leaves=False)]
    assert computed == ["N1", "ReLU(N1)", "N2", "ReLU(N2)", "N3", "ReLU(N3)",
                        "N4", "ReLU(N4)", "N5", "ReLU(N5)", "N6", "ŷ"]
    assert out.op == "sigmoid"


def test_several_outputs_are_labelled_y_hat_1_y_hat_2() -> None:
    out = MLP(2, [2], activation=None, seed=0)([1.0, 2.0])
    assert isinstance(out, list)
    assert [v.label for v in out] == ["ŷ1", "ŷ2"]


def test_a_standalone_layer_numbers_its_own_labels_and_shares_its_inputs() -> None:
    out = Layer(2, 2, activation="tanh", rng=random.Random(0))([1.0, 2.0])
    assert [v.label for v in out] == ["tanh(N1)", "tanh(N2)"]
    assert out[0].inputs[0].inputs[2:4] == out[1].inputs[0].inputs[2:4]
    assert [x.label for x in out[0].inputs[0].inputs[2:4]] == ["x1", "x2"]


def test_no_grad_forward_gives_the_same_numbers_and_no_graph() -> None:
    model = MLP(2, [4, 1], seed=3)
    with_graph = model([0.3, -0.2])
    with no_grad():
        without = model([0.3, -0.2])
    assert isinstance(with_graph, Value) and isinstance(without, Value)
    assert without.data == with_graph.data
    assert without.inputs == () and with_graph.inputs != ()


def test_zero_grad_resets_every_parameter() -> None:
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    out = model([1.0, 1.0])
    assert isinstance(out, Value)
    out.backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_repr_shows_the_architecture() -> None:
    assert repr(MLP(3, [2, 1], activation=None)) == (
        "MLP(3, [2, 1], activation=None, output_activation=None)"
    )
    assert repr(Neuron(2, "relu")) == "Neuron(2, activation='relu')"
    assert repr(Layer(2, 3, "linear")) == "Layer(2, 3, activation=None)"


@pytest.mark.parametrize("x", [{1.0, 2.0}, 1.0, iter([1.0, 2.0]), "12", None])
def test_an_input_that_is_not_a_list_is_refused_by_name(x: object) -> None:
    # A set has no order: which weight meets which input would be up to hashing.
    model = MLP(2, [3, 1], seed=0)
    with pytest.raises(TypeError, match=r"^MLP: x must be a list of numbers or Values, got"):
        model(x)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Layer: x must be a list"):
        Layer(2, 2)(x)  # type: ignore[arg-type]


def test_a_bad_input_item_is_named_by_its_position() -> None:
    with pytest.raises(TypeError, match=r"^MLP: x\[1\] must be a real number "
                                        r"\(int, float, \.\.\.\) or a Value, "
                                        r"got bool True"):
        MLP(2, [1])([1.0, True])
    with pytest.raises(OverflowError, match=r"^MLP: x\[0\] is an int of 401 digits"):
        MLP(2, [1])([10**400, 1.0])


@pytest.mark.parametrize("make", [lambda rng: Neuron(2, rng=rng), lambda rng: Layer(2, 3, rng=rng)],
                         ids=["Neuron", "Layer"])
@pytest.mark.parametrize("rng", [5, "seed", 0.5])
def test_an_rng_without_uniform_is_a_type_error_naming_rng(make: Any, rng: object) -> None:
    # Was: AttributeError: 'int' object has no attribute 'uniform'.
    with pytest.raises(TypeError, match=r"(Neuron|Layer): rng must be a random\.Random"):
        make(rng)


def test_any_generator_with_uniform_draws_the_weights() -> None:
    class Halves:
        def uniform(self, a: float, b: float) -> float:
            return (a + b) / 2 + 0.5

    assert [w.data for w in Neuron(3, rng=Halves()).w] == [0.5, 0.5, 0.5]  # type: ignore[arg-type]
