"""Helpers more than one part's tests use: the notes' network, pictures read back, stepper steps."""
