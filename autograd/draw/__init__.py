"""Pictures of a computation graph: the graph drawn, and the chain rule written out.

``draw_graph`` gives a ``graphviz.Digraph``, ``to_svg`` writes the SVG, ``explain`` writes
dL/dx as a product of local partials, ``to_html`` writes a page that steps through the backward
pass (``steps`` cuts it into steps, ``narrate`` words them, ``stepper.js`` shows them;
``notebook`` is how all of these display in Jupyter). The helpers split the work by meaning:
``structure`` finds neurons, layers and roles in the graph's shape, ``paint`` turns them into
Graphviz nodes and edges, ``style`` holds the colours and records, ``format`` the numbers and
names.
The engine never imports this package (``notebook`` hands ``Value`` its Jupyter drawing); it
reads graphs, never changes them.
"""

from autograd.draw.explain import Explanation, explain
from autograd.draw.graph import GraphvizNotFound, draw_graph, to_svg
from autograd.draw.html import to_html
from autograd.draw.notebook import StepperPage

__all__ = ["Explanation", "GraphvizNotFound", "StepperPage", "draw_graph", "explain", "to_html",
           "to_svg"]
