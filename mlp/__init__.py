"""chainrule's mlp: neurons, layers and an MLP built on autograd Values."""
