"""The one text normalisation behind every "same content" rule (events, content rules, leaks).

Weibo copies of one text differ in ways a reader does not see: full-width letters and digits
(`ＡＢＣ１`), ideographic spaces (U+3000, often in runs), zero-width characters (U+200B, U+FEFF,
joiners) pasted in by editors, brackets such as 【】 added around a headline, a short link
(`http://t.cn/...`) appended by the client. Unicode NFKC folds the compatibility forms; the rest
is removed explicitly. Builders (in Python and, through a registered DuckDB function, in SQL)
and verify call this module, so they cannot disagree on what "the same text" is (they did once:
SQL normalisation missed U+200B and U+3000, Python did not).

- `clean(text)`: NFKC, zero-width characters gone, every whitespace run one space, trimmed; the
  text a person reads, for display-side rules (length of a comment, boilerplate detection).
- `normalise(text)`: the content key: `clean`, then case-folded, links removed, and every
  whitespace, punctuation, symbol and control character removed ('' when nothing is left).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Characters with no width that editors and clients insert (NFKC keeps them).
ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"
_ZERO_WIDTH = dict.fromkeys(map(ord, ZERO_WIDTH), None)
_SPACES = re.compile(r"\s+")
#: A link as Weibo clients write it, including cut-off stubs (`http:`, `http://t.cn/`).
LINK = re.compile(r"(?:https?:(?://)?|www\.)[\w./?%&=+#~:-]*", re.ASCII | re.IGNORECASE)
#: Unicode categories that carry no content: punctuation, symbols (emoji included), separators,
#: controls and format characters.
_DROP = frozenset("PSZC")


def clean(text: str | None) -> str:
    """NFKC-folded text without zero-width characters, whitespace runs collapsed to one space."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)
    return _SPACES.sub(" ", folded).strip()


def strip_links(text: str) -> str:
    return LINK.sub(" ", text)


@lru_cache(maxsize=1 << 16)
def normalise(text: str | None) -> str:
    """Content key of a text: two texts are the same content when their keys are equal."""
    folded = strip_links(clean(text).casefold())
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in _DROP)


def shingles(key: str, n: int) -> set[str]:
    """Character n-grams of a content key; a key shorter than n is its own single shingle, so
    short texts compare by identity rather than not at all."""
    if not key:
        return set()
    if len(key) <= n:
        return {key}
    return {key[i:i + n] for i in range(len(key) - n + 1)}


SQL_FUNCTION = "somekit_norm"


def register_sql(con) -> None:
    """Make `somekit_norm(text)` (= normalise) callable from SQL on a DuckDB connection. It runs
    over Arrow batches and normalises each distinct text of a batch once."""
    import duckdb
    import pyarrow as pa
    import pyarrow.compute as pc

    def _batch(values):  # no annotations: DuckDB evaluates them in this module's globals
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        encoded = pc.dictionary_encode(values)
        keys = pa.array([normalise(v) for v in encoded.dictionary.to_pylist()], pa.string())
        out = pc.take(keys, encoded.indices)
        return pc.if_else(pc.is_null(values), pa.scalar("", pa.string()), out)

    try:
        con.create_function(SQL_FUNCTION, _batch, [duckdb.sqltype("VARCHAR")], duckdb.sqltype("VARCHAR"),
                            type="arrow", null_handling="special", side_effects=False)
    except duckdb.NotImplementedException:  # already registered on this connection
        pass
