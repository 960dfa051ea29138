"""Persona / next-action datasets from Bluesky activity (BluePrint style, DESIGN section 8).

Modules: anonymise (salted ids, text scrubbing, time ranks), actions (per-user action logs that
honour deletes), cluster (users grouped on their mean post embedding), nap (the `nap` builder),
metrics (action F1, text cosine), takedown (`somekit persona remove`), scan (decode and search
every file of a workspace).
"""

from ..errors import SomekitError


class PersonaError(SomekitError):
    """A persona dataset cannot be built or cleaned as asked (missing salt, unfinished takedown)."""
