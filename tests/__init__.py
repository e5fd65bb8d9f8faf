"""chainrule's tests, one package per part (see docs/design.md's layout); conftest.py here
applies to all of them."""
