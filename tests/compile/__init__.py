"""autograd.compile, and fit's compiled step: compiled and eager agree."""
