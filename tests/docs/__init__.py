"""What the README, the founding DESIGN.md's contract, the demos and the notebook promise,
and the packages as built."""
