"""Pictures of a computation graph: the graph drawn, and the chain rule written out.

``draw_graph`` gives a ``graphviz.Digraph``, ``to_svg`` writes the SVG, ``explain`` writes
dL/dx as a product of local partials. The helpers split the work by meaning: ``structure``
finds neurons, layers and roles in the graph's shape, ``paint`` turns them into Graphviz
nodes and edges, ``style`` holds the colours and records, ``format`` the numbers and names.
Nothing in the engine imports this package; it reads graphs, never changes them.
"""

from autograd.draw.explain import Explanation, explain
from autograd.draw.graph import GraphvizNotFound, draw_graph, to_svg

__all__ = ["Explanation", "GraphvizNotFound", "draw_graph", "explain", "to_svg"]
