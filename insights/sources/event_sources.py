"""Product-usage events: Segment track calls and Amplitude export rows, one canonical shape.

Both land in tables of the same columns, so staging can union them into one event stream.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from insights.sources.readers import json_lines_reader
from insights.sources.spec import Column, SourceSpec

PRODUCT_EVENTS = SourceSpec(
    name="product_events",
    folder="segment",
    pattern="**/*.jsonl",
    description="Product usage events as Segment track calls, one JSON object per line.",
    key="message_id",
    reader=json_lines_reader(
        {
            "message_id": "messageId",
            "event_type": "type",
            "event_name": "event",
            "user_id": "userId",
            "anonymous_id": "anonymousId",
            "account_id": "context.groupId",
            "feature": "properties.feature",
            "occurred_at": "timestamp",
            "properties": "properties",
        }
    ),
    columns=(
        Column("message_id", required=True),
        Column("event_type"),
        Column("event_name", required=True),
        Column("user_id"),
        Column("anonymous_id"),
        Column("account_id"),
        Column("feature"),
        Column("occurred_at", "timestamp", required=True),
        Column("properties"),
    ),
)


def _amplitude_derived(event: Mapping) -> dict[str, str | None]:
    """Amplitude names the dedup ID `$insert_id` (set by the sender) and falls back on its own
    `uuid`; the account is a group whose type name each workspace picks."""
    groups = event.get("groups") if isinstance(event.get("groups"), Mapping) else {}
    account = next((groups[k] for k in ("account", "company", "account_id", "organization") if groups.get(k)), None)
    if isinstance(account, list):
        account = account[0] if account else None
    properties = event.get("event_properties")
    return {
        "event_id": str(event.get("$insert_id") or event.get("uuid") or "") or None,
        "account_id": None if account is None else str(account),
        "properties": json.dumps(properties, sort_keys=True) if isinstance(properties, Mapping) else None,
    }


AMPLITUDE_EVENTS = SourceSpec(
    name="amplitude_events",
    folder="amplitude",
    # Amplitude's export API returns a zip of gzipped JSON-lines files named *.json.gz.
    pattern=("**/*.json", "**/*.jsonl", "**/*.json.gz"),
    description="Product usage events from an Amplitude export, one JSON object per line.",
    key="event_id",
    reader=json_lines_reader(
        {
            "event_name": "event_type",
            "user_id": "user_id",
            "device_id": "device_id",
            "feature": "event_properties.feature",
            "occurred_at": "event_time",
            "platform": "platform",
            "country": "country",
        },
        derived=_amplitude_derived,
    ),
    columns=(
        Column("event_id", required=True),
        Column("event_name", required=True),
        Column("user_id"),
        Column("device_id"),
        Column("account_id"),
        Column("feature"),
        Column("occurred_at", "timestamp", required=True),
        Column("platform"),
        Column("country"),
        Column("properties"),
    ),
)
