"""One asset per landing source: new and changed export files into `raw.<table>`."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from insights.sources import health
from insights.sources.catalog import SOURCES
from insights.sources.load import load_source, table_row_count
from insights.sources.spec import SourceSpec
from orchestration.resources import LandingFolder


def _quarantine_preview(report, limit: int = 10) -> str:
    lines = ["| file | line | field | reason |", "|---|---|---|---|"]
    for entry in report.quarantined[:limit]:
        lines.append(f"| {entry.file} | {entry.line} | {entry.field or '-'} | {entry.reason} |")
    return "\n".join(lines)


def build_extract_asset(spec: SourceSpec) -> dg.AssetsDefinition:
    @dg.asset(
        key=["raw", spec.name],
        group_name="extract",
        description=f"{spec.description} Loaded from landing/{spec.folder}/{' and '.join(spec.patterns)}.",
        kinds={"python", "duckdb"},
    )
    def extract(
        context: dg.AssetExecutionContext, warehouse: DuckDBResource, landing: LandingFolder
    ) -> dg.MaterializeResult:
        with warehouse.get_connection() as con:
            rows_before = table_row_count(con, spec)
            report = load_source(con, spec, landing.root)
            total_rows = table_row_count(con, spec)
        for file, reason in report.failures:
            context.log.warning(f"{spec.name}: {file} could not be read: {reason}")
        for file, reason in report.skipped_failed:
            context.log.info(f"{spec.name}: {file} skipped: it failed before ({reason}) and has not changed since")
        if report.rows_quarantined:
            context.log.warning(f"{spec.name}: {report.rows_quarantined} rows quarantined (see raw.quarantine)")
        metadata = {
            "dagster/row_count": dg.MetadataValue.int(total_rows),
            # The row-count check compares these two (orchestration/checks.py).
            "rows_before_run": dg.MetadataValue.int(rows_before),
            "files_seen": report.files_seen,
            "files_loaded": report.files_loaded,
            "files_skipped_unchanged": report.files_skipped,
            "files_failed": len(report.failures),
            "files_skipped_failed_unchanged": len(report.skipped_failed),
            "rows_loaded_this_run": report.rows_loaded,
            "rows_quarantined_this_run": report.rows_quarantined,
        }
        if report.quarantined:
            metadata["quarantine_preview"] = dg.MetadataValue.md(_quarantine_preview(report))
        return dg.MaterializeResult(metadata=metadata)

    return extract


extract_assets = [build_extract_asset(spec) for spec in SOURCES]


@dg.asset(
    key=["raw", "quarantine"],
    deps=[key for assets in extract_assets for key in assets.keys],
    group_name="extract",
    description="Rows that could not be loaded, with source, file, line, field, value excerpt and reason.",
    kinds={"duckdb"},
)
def quarantine(warehouse: DuckDBResource) -> dg.MaterializeResult:
    with warehouse.get_connection() as con:
        counts, newest = health.quarantine_overview(con)
    by_reason = ["| source | reason | rows |", "|---|---|---|"] + [f"| {s} | {r} | {n} |" for s, r, n in counts]
    latest = ["| source | file | line | field | value | reason |", "|---|---|---|---|---|---|"]
    latest += [f"| {' | '.join(str(v).replace('|', '/') for v in row)} |" for row in newest]
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": sum(n for _, _, n in counts),
            "by_source_and_reason": dg.MetadataValue.md("\n".join(by_reason)),
            "newest": dg.MetadataValue.md("\n".join(latest)),
        }
    )
