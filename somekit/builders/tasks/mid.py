"""`mid`: misinformation detection over LIAR-RAW and RAWFC claims (true / half / false).

Every claim becomes an item carrying both its source label and the 3-way label (docs/architecture.md, "Evaluation");
its evidence reports become the knowledge base, linked through `report_ids`. A claim that appears
in both sources (same normalised text) is one item with the reports of all its copies; when the
copies disagree on the 3-way label the item is flagged for review instead of silently picking one.
"""

from __future__ import annotations

from typing import Any

from ...schemas.items import MIDAnswer, MIDInputs, MIDItem, item_id
from ...schemas.provenance import Provenance
from ...schemas.review import Review
from ...store.items import write_items
from ..query_templates import render
from ..registry import BuildResult, register_builder
from ..sampling import norm_sql, open_corpus, rand_sql, resolve, seeded_order

BUILDER = "mid@1"
ALL = 10**9  # default n: every claim
#: Source label -> 3-way label (LIAR's six; RAWFC already uses the three).
TO3 = {"pants-fire": "false", "false": "false", "barely-true": "half", "half-true": "half",
       "mostly-true": "true", "true": "true", "half": "half"}


def _merged_claims(con, seed: int, n: int) -> list[tuple]:
    """One row per distinct normalised claim: representative id, text and label (first by
    dataset then id), every member id and label, and the linked report ids."""
    mapping = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in TO3.items())
    return con.execute(f"""
        WITH c AS (
            SELECT id, claim, lower(trim(label)) AS label, dataset, {norm_sql('claim')} AS key,
                   CASE lower(trim(label)) {mapping} ELSE NULL END AS label3
            FROM claims),
        g AS (
            SELECT key, arg_min(id, dataset || ':' || id) AS rep,
                   list(id ORDER BY dataset, id) AS members,
                   list(DISTINCT label3) FILTER (WHERE label3 IS NOT NULL) AS labels3,
                   count(*) FILTER (WHERE label3 IS NULL) AS unmapped
            FROM c GROUP BY key),
        r AS (SELECT g.key, list(DISTINCT rp.id ORDER BY rp.id) AS reports
              FROM g, unnest(g.members) AS m(mid) JOIN reports rp ON rp.claim_id = m.mid GROUP BY g.key)
        SELECT g.rep, c.claim, c.label, c.label3, g.members, g.labels3, g.unmapped, coalesce(r.reports, [])
        FROM g JOIN c ON c.id = g.rep LEFT JOIN r ON r.key = g.key
        ORDER BY {rand_sql(seed, 'g.rep')}, g.rep LIMIT {int(n)}""").fetchall()


@register_builder("mid")
def build_mid(ws, cfg, n: int | None = None, seed: int | None = None, lang: str | None = None,
              **overrides: Any) -> BuildResult:
    n, seed, options = resolve(cfg, "mid", n, seed, ALL, overrides)
    lang = lang if lang in ("zh", "en") else "en"  # the claims are English
    con = open_corpus(ws)
    total = con.execute("SELECT count(*) FROM claims").fetchall()[0][0]
    items, dropped, conflicts, merged = [], 0, 0, 0
    for rep, claim, label, label3, members, labels3, unmapped, reports in _merged_claims(con, seed, n):
        if label3 is None:
            dropped += 1  # a label outside LIAR's six and RAWFC's three: counted, never guessed
            continue
        merged += len(members) - 1
        inputs = MIDInputs(claim_id=rep, claim=claim, report_ids=list(reports))
        query, template_id = render("mid", lang, claim=claim)
        conflict = len(labels3) > 1
        conflicts += conflict
        review = Review(needs_review=True, note=f"merged copies disagree: {sorted(labels3)}") if conflict else Review()
        items.append(MIDItem(
            id=item_id("mid", inputs.model_dump(mode="json")), query=query, template_id=template_id, lang=lang,
            inputs=inputs, answer=MIDAnswer(label=label3, original_label=label), review=review,
            provenance=Provenance(source_ids=list(members), rule="label:source-mapped", seed=seed, builder=BUILDER,
                                  notes={"merged": list(members)[1:]} if len(members) > 1 else {})))
    warnings = []
    if dropped:
        warnings.append(f"mid: {dropped} claims with an unknown label were left out")
    if conflicts:
        warnings.append(f"mid: {conflicts} merged claims have conflicting labels (flagged needs_review)")
    if total == 0:
        warnings.append("mid: the corpus holds no claims (ingest liar-raw / rawfc first)")
    items = seeded_order(items, seed)
    stats = {"seed": seed, "claims": total, "items": len(items), "merged_copies": merged,
             "unknown_label": dropped, "conflicts": conflicts}
    write_items(ws, "mid", items, stats={**stats, "warnings": warnings})
    return BuildResult("mid", len(items), stats, warnings)
