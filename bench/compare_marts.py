"""Compare the marts of two runs, table by table and column by column.

    python bench/compare_marts.py BEFORE.duckdb AFTER.duckdb

Each file is a serving snapshot (`serving/insights.duckdb`) or a working warehouse. For every
table of BEFORE's main schema it prints the row counts, the columns only one side has, and per
shared column how many rows differ once both tables are put in the same order (every column,
nulls last). Doubles are equal within 1e-9 (relative, absolute below 1), so a refactor that only reorders a
floating-point sum still counts as equal. Exit code 1 when anything differs.
"""

from __future__ import annotations

import sys

import duckdb

TOLERANCE = 1e-9


def _is_float(data_type: str) -> bool:
    return data_type in ("DOUBLE", "FLOAT", "REAL") or data_type.startswith("DECIMAL")


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = ? and table_schema = 'main' and table_name <> 'readme' order by 1",
            [catalog],
        ).fetchall()
    ]


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, table: str) -> dict[str, str]:
    return dict(
        con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_catalog = ? and table_schema = 'main' and table_name = ? order by ordinal_position",
            [catalog, table],
        ).fetchall()
    )


def _comparable(column: str, data_type: str) -> str:
    quoted = f'"{column}"'
    if data_type.endswith("[]") or data_type.startswith(("STRUCT", "MAP")):
        return f"cast({quoted} as varchar)"
    return quoted


def compare_table(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    before, after = _columns(con, "before", table), _columns(con, "after", table)
    problems = [f"column only before: {c}" for c in before if c not in after]
    problems += [f"column only after: {c}" for c in after if c not in before]
    shared = [c for c in before if c in after]
    n_before = con.execute(f'select count(*) from before.main."{table}"').fetchone()[0]
    n_after = con.execute(f'select count(*) from after.main."{table}"').fetchone()[0]
    if n_before != n_after:
        problems.append(f"rows {n_before} before, {n_after} after")
        return problems
    select = ", ".join(f'{_comparable(c, before[c])} as "{c}"' for c in shared)
    # Exact columns first, so float noise in the last bits cannot change which rows pair up.
    keys = sorted(shared, key=lambda c: _is_float(before[c]))
    order = ", ".join(f'"{c}" nulls last' for c in keys)
    for side in ("before", "after"):
        con.execute(
            f'create or replace temp table "{side}_rows" as '
            f'select row_number() over (order by {order}) as _row, * from (select {select} from {side}.main."{table}")'
        )
    for column in shared:
        b, a = f'b."{column}"', f'a."{column}"'
        differs = f"{b} is distinct from {a}"
        if _is_float(before[column]):
            # The same value from a reordered sum differs in the last bits only.
            close = f"abs({b} - {a}) <= {TOLERANCE} * greatest(abs({b}), abs({a}), 1)"
            differs = f"({differs}) and not coalesce({close}, false)"
        differing = con.execute(
            f"select count(*) from before_rows b join after_rows a using (_row) where {differs}"
        ).fetchone()[0]
        if differing:
            problems.append(f"{column}: {differing} of {n_before} rows differ")
    return problems


def main(before_path: str, after_path: str) -> int:
    con = duckdb.connect()
    con.execute(f"attach '{before_path}' as before (read_only)")
    con.execute(f"attach '{after_path}' as after (read_only)")
    before_tables, after_tables = _tables(con, "before"), _tables(con, "after")
    differ = False
    for table in sorted(set(before_tables) | set(after_tables)):
        if table not in after_tables or table not in before_tables:
            print(f"{table:<32} only {'before' if table in before_tables else 'after'}")
            differ = True
            continue
        problems = compare_table(con, table)
        rows = con.execute(f'select count(*) from after.main."{table}"').fetchone()[0]
        columns = len(_columns(con, "after", table))
        print(f"{table:<32} {rows:>6} rows {columns:>3} columns  {'equal' if not problems else 'DIFFERENT'}")
        for problem in problems:
            print(f"    {problem}")
        differ |= bool(problems)
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
