"""Shared test set-up: the hypothesis profiles.

``CI`` set: the "ci" profile (derandomized, no deadline), so a CI run is repeatable.
Otherwise: the "dev" profile (random, no deadline: the first call of a test may be slow).
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
