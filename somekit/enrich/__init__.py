"""Media enrichment (issue 7): OCR, captions and speech transcripts per media sha256.

    from somekit.enrich import enrich, resolve_settings, post_enrichments
    report = enrich(ws)                      # what somekit.toml enables
    table = post_enrichments(ws)             # post_id, caption, ocr, transcript (pyarrow)
    register_enrich_view(con, ws)            # DuckDB view post_enrich on a store.query connection

See outputs.py for the files other stages join (enrich/post_text.parquet).
"""

from .engine import enrich
from .outputs import media_enrichments, post_enrichments, register_enrich_view
from .report import EnrichFailed, EnrichReport
from .resolve import FetchPolicy, MediaError
from .settings import EnrichSettings, resolve_settings

__all__ = ["EnrichFailed", "EnrichReport", "EnrichSettings", "FetchPolicy", "MediaError", "enrich", "media_enrichments",
           "post_enrichments", "register_enrich_view", "resolve_settings"]
