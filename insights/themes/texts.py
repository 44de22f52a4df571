"""The feedback texts the model-based steps read, cut to a length the model can use.

The embedding model reads its first 256 word pieces (about 1,000 characters) and ignores the
rest, yet a 50 MB pasted log in a ticket once took 7.6 GB of RAM in the theme step
(tokenising, phrase mining, quotes). The cut happens in DuckDB, so Python never holds more
than `limits.MAX_EMBED_CHARS` characters of any text, and each cut item is flagged.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from insights import limits


def read_feedback_texts(
    con: duckdb.DuckDBPyConnection, relation: str, extra_columns: tuple[str, ...] = ()
) -> pd.DataFrame:
    """`feedback_id`, `text` (at most MAX_EMBED_CHARS characters), `text_truncated`, then
    `extra_columns`, in feedback_id order. `relation` is a quoted schema.table from the dbt
    manifest, never user input; the limit goes in as a parameter."""
    extra = "".join(f', "{column}"' for column in extra_columns)
    return con.execute(
        f"select feedback_id, left(text, $limit) as text, coalesce(length(text) > $limit, false) as text_truncated{extra} "
        f"from {relation} order by feedback_id",
        {"limit": limits.MAX_EMBED_CHARS},
    ).df()
