"""Second order: Newton's method with Hessians from grad(create_graph=True), then compiled.

On Rosenbrock's function f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, whose minimum is at (1, 1)
at the bottom of a long curved valley, the script runs Newton's method, each step using the
Hessian that chainrule computes by differentiating its own gradient, and plain gradient
descent from the same start. It prints both, and checks the Hessian against the closed form.

The graph of a whole Newton step (gradient and Hessian by ``grad(create_graph=True)``, then
the 2x2 solve) is plain Values, so ``autograd.compile`` turns it into straight-line Python:
the script runs the compiled step beside the eager one and checks that they agree.

    python demos/second_order.py [--out DIR] [--quick]
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable

from _common import arguments, parse, verdict

import autograd
from autograd import Value, grad, no_grad

START = (-1.2, 1.0)  # the classic starting point, on the far side of the valley


def rosenbrock(x: Value, y: Value) -> Value:
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def gradient_and_hessian(px: float, py: float) -> tuple[list[float], list[list[float]]]:
    """The gradient and the Hessian of Rosenbrock at (px, py), by automatic differentiation."""
    x, y = Value(px, "x"), Value(py, "y")
    f = rosenbrock(x, y)
    dfdx, dfdy = grad(f, [x, y], create_graph=True)  # Values: differentiable again
    hessian = [grad(dfdx, [x, y]), grad(dfdy, [x, y])]
    return [dfdx.data, dfdy.data], hessian


def closed_form_hessian(px: float, py: float) -> list[list[float]]:
    return [[2 - 400 * (py - px**2) + 800 * px**2, -400 * px], [-400 * px, 200.0]]


def newton_step(px: float, py: float) -> tuple[float, float]:
    (gx, gy), ((a, b), (c, d)) = gradient_and_hessian(px, py)
    det = a * d - b * c
    # Solve H @ step = g for the 2x2 Hessian.
    return px - (d * gx - b * gy) / det, py - (a * gy - c * gx) / det


def newton_graph(x: Value, y: Value) -> list[Value]:
    """One Newton step as a graph of Values: the new point, as a function of the old."""
    f = rosenbrock(x, y)
    gx, gy = grad(f, [x, y], create_graph=True)
    (a, b), (c, d) = grad(gx, [x, y], create_graph=True), grad(gy, [x, y], create_graph=True)
    det = a * d - b * c
    return [x - (d * gx - b * gy) / det, y - (a * gy - c * gx) / det]


def run_compiled_newton(steps: int) -> tuple[list[tuple[float, float]], autograd.Program]:
    """Newton's method with the step compiled once (traced at the start) and then rerun."""
    newton = autograd.compile(newton_graph, *START)
    path = [START]
    with no_grad():  # numbers only: no graph around the compiled step
        for _ in range(steps):
            x, y = newton(*path[-1])
            path.append((x.data, y.data))
    return path, newton


def seconds_per_step(step: Callable[[float, float], object], point: tuple[float, float],
                     repeats: int = 200) -> float:
    start = time.perf_counter()
    for _ in range(repeats):
        step(*point)
    return (time.perf_counter() - start) / repeats


def compiled_step(program: autograd.Program) -> Callable[[float, float], object]:
    def step(x: float, y: float) -> object:
        with no_grad():
            return program(x, y)

    return step


def value_at(px: float, py: float) -> float:
    return rosenbrock(Value(px), Value(py)).data


def run_newton(steps: int) -> list[tuple[float, float]]:
    path = [START]
    for _ in range(steps):
        path.append(newton_step(*path[-1]))
    return path


def run_gradient_descent(steps: int, lr: float = 1e-3) -> list[tuple[float, float]]:
    path = [START]
    for _ in range(steps):
        px, py = path[-1]
        x, y = Value(px), Value(py)
        gx, gy = grad(rosenbrock(x, y), [x, y])
        path.append((px - lr * gx, py - lr * gy))
    return path


def main(argv: list[str] | None = None) -> int:
    args = parse(arguments(__doc__, "fewer gradient-descent steps"), argv)

    print("Rosenbrock f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum f(1, 1) = 0\n")
    auto = gradient_and_hessian(*START)[1]
    exact = closed_form_hessian(*START)
    print(f"Hessian at {START}: autograd {auto}, closed form {exact}")
    hessian_ok = all(math.isclose(a, e, rel_tol=1e-12) for ra, re in zip(auto, exact, strict=True)
                     for a, e in zip(ra, re, strict=True))

    newton = run_newton(8)
    print("\nNewton's method (Hessian from grad(create_graph=True)):")
    for k, (px, py) in enumerate(newton):
        print(f"  step {k}: x = {px: .10f}  y = {py: .10f}  f = {value_at(px, py):.3e}")

    compiled, program = run_compiled_newton(8)
    agree = all(math.isclose(a, e, rel_tol=1e-12, abs_tol=1e-300)
                for pc, pe in zip(compiled, newton, strict=True)
                for a, e in zip(pc, pe, strict=True))
    eager_step = seconds_per_step(lambda x, y: newton_graph(Value(x), Value(y)), START)
    compiled_seconds = seconds_per_step(compiled_step(program), START)
    print(f"\nThe same steps compiled (autograd.compile of the whole Newton step, "
          f"{program.sources['forward'].count(chr(10)) - 2} lines of Python):")
    print(f"  agrees with the eager steps to 1e-12: {agree}; one step "
          f"{eager_step / compiled_seconds:.0f}x faster than building its graph eagerly")

    gd_steps = 2_000 if args.quick else 20_000
    gd = run_gradient_descent(gd_steps)
    print("\nGradient descent (lr = 1e-3), same start:")
    for k in (0, 10, 100, 1_000, gd_steps):
        px, py = gd[k]
        print(f"  step {k:>6}: x = {px: .10f}  y = {py: .10f}  f = {value_at(px, py):.3e}")

    newton_end = newton[-1]
    converged = math.dist(newton_end, (1.0, 1.0)) < 1e-9
    print(f"\nNewton reaches (1, 1) to 1e-9 in {len(newton) - 1} steps: {converged}; "
          f"gradient descent after {gd_steps:,} steps is {math.dist(gd[-1], (1.0, 1.0)):.2e} away.")
    (args.out / "second_order.txt").write_text(
        "\n".join(f"{px!r} {py!r}" for px, py in newton) + "\n", encoding="utf-8")
    ok = hessian_ok and converged and agree
    return verdict(ok)


if __name__ == "__main__":
    sys.exit(main())
