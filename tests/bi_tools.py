"""Reading a serving snapshot the way BI tools do: the DuckDB CLI from PyPI, and SQLAlchemy
reflection through duckdb-engine as Superset runs it when a database or dataset is added."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import duckdb
import sqlalchemy as sa

# The `duckdb-cli` wheel of the dev extra puts its binary beside this Python.
DUCKDB_CLI = Path(sys.executable).parent / "duckdb"


def run_cli(database: Path, sql: str) -> subprocess.CompletedProcess:
    assert DUCKDB_CLI.exists(), f"{DUCKDB_CLI} missing: pip install -e '.[dev]' installs duckdb-cli"
    return subprocess.run(
        [str(DUCKDB_CLI), "-readonly", "-csv", str(database), "-c", sql], capture_output=True, text=True, timeout=60
    )


def cli_version() -> tuple[int, ...]:
    out = subprocess.run([str(DUCKDB_CLI), "--version"], capture_output=True, text=True, timeout=60).stdout
    return tuple(int(part) for part in out.split()[0].lstrip("v").split(".")[:2])


def python_duckdb_version() -> tuple[int, ...]:
    return tuple(int(part) for part in duckdb.__version__.split(".")[:2])


def superset_url(database: Path) -> str:
    """The SQLAlchemy URI docs/bi-tools.md gives Superset users."""
    return f"duckdb:///{database.resolve()}?access_mode=read_only"


def reflect_like_superset(database: Path) -> dict[str, list[str]]:
    """Every table of the snapshot's schema, reflected step by step as Superset does (schemas,
    tables and views, columns, primary key, foreign keys, indexes, unique constraints, table
    comment, then a Table autoloaded and one row selected through it, and the whole schema by
    MetaData.reflect); table name -> column names. Any step that fails raises."""
    engine = sa.create_engine(superset_url(database))
    try:
        inspector = sa.inspect(engine)
        schema = f"{database.stem}.main"
        assert schema in inspector.get_schema_names()
        tables = inspector.get_table_names(schema=schema)
        assert tables, f"no tables in {schema}"
        inspector.get_view_names(schema=schema)
        reflected = {}
        with warnings.catch_warnings():
            # duckdb-engine warns that it reflects no indexes, and SQLAlchemy that it does not know
            # DuckDB's LIST and STRUCT types (they come back as NullType): Superset shows both as is.
            warnings.simplefilter("ignore")
            for table in tables:
                columns = inspector.get_columns(table, schema=schema)
                inspector.get_pk_constraint(table, schema=schema)
                inspector.get_foreign_keys(table, schema=schema)
                inspector.get_indexes(table, schema=schema)
                inspector.get_unique_constraints(table, schema=schema)
                inspector.get_table_comment(table, schema=schema)
                autoloaded = sa.Table(table, sa.MetaData(), autoload_with=engine, schema=schema)
                with engine.connect() as con:
                    con.execute(sa.select(autoloaded).limit(1)).fetchall()
                    con.execute(sa.text(f'select * from "{table}" limit 1')).fetchall()
                reflected[table] = [c["name"] for c in columns]
            sa.MetaData().reflect(bind=engine, schema=schema)
        return reflected
    finally:
        engine.dispose()
