"""autograd.draw: draw_graph, to_svg, explain, the stepper page (in a browser too), display."""
