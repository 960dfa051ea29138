"""Persona / next-action datasets from Bluesky activity (BluePrint style, DESIGN section 8).

Modules: anonymise (salted ids, scrub_text), pii (structured patterns, names by NER), actions
(per-user action logs that honour deletes), cluster (constrained k-means on mean post
embeddings), nap (the `nap` builder), challenge (the time split freeze uses), blueprint
(BluePrint's Hub layout), metrics (action F1, text cosine: the one implementation) and
blueprint_compat (BluePrint's own figures), takedown (`somekit persona remove`) with matcher
(many-needle search), linefile (streamed line removal), scan (decode and search every file),
deletions (Jetstream account deletions honoured).
"""

from ..errors import SomekitError


class PersonaError(SomekitError):
    """A persona dataset cannot be built or cleaned as asked (missing salt, unfinished takedown)."""
