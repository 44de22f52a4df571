"""App-store reviews: Apple's App Store and Google Play, each in its own export's shape."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from urllib.parse import parse_qs, urlparse

from insights.sources.readers import csv_reader
from insights.sources.spec import Column, SourceSpec

APP_REVIEWS = SourceSpec(
    name="app_reviews",
    folder="app_store",
    pattern="**/*.csv",
    description="App Store reviews: 1-5 stars, title and body.",
    key="review_id",
    reader=csv_reader(
        {
            "Review ID": "review_id",
            "Date": "reviewed_at",
            "Rating": "rating",
            "Title": "title",
            "Review": "review",
            "Version": "app_version",
            "Territory": "territory",
            "Nickname": "nickname",
        },
        required=("review_id", "rating"),
    ),
    columns=(
        Column("review_id", required=True),
        Column("reviewed_at", "timestamp", required=True),
        Column("rating", "int", required=True, minimum=1, maximum=5),
        Column("title"),
        Column("review"),
        Column("app_version"),
        Column("territory"),
        Column("nickname"),
    ),
    redact=("title", "review"),
)


def _google_play_review_id(values: Mapping[str, str | None], header: list[str]) -> dict[str, str | None]:
    """Google Play's CSV has no review ID column: take it from the review link when present,
    else fingerprint what stays fixed when a reviewer edits the review (package, device,
    language and first submission time), so an edited review keeps its key."""
    link = (values.get("review_link") or "").strip()
    if link:
        found = parse_qs(urlparse(link).query).get("reviewId")
        if found:
            return {"review_id": found[0]}
    parts = [values.get(k) or "" for k in ("package_name", "device", "language", "submitted_millis", "submitted_at")]
    if not (values.get("submitted_millis") or values.get("submitted_at")):
        return {"review_id": None}  # no stable identity: quarantined as a missing key
    return {"review_id": "gp_" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]}


GOOGLE_PLAY_REVIEWS = SourceSpec(
    name="google_play_reviews",
    folder="google_play",
    pattern="**/*.csv",
    description="Google Play reviews from the Play Console's monthly reviews CSV: stars, title, text, reply.",
    key="review_id",
    reader=csv_reader(
        {
            "Package Name": "package_name",
            "App Version Code": "app_version_code",
            "App Version Name": "app_version",
            "Reviewer Language": "language",
            "Device": "device",
            "Review Submit Date and Time": "submitted_at",
            "Review Submit Millis Since Epoch": "submitted_millis",
            "Review Last Update Date and Time": "updated_at",
            "Star Rating": "rating",
            "Review Title": "title",
            "Review Text": "review",
            "Developer Reply Date and Time": "replied_at",
            "Developer Reply Text": "developer_reply",
            "Review Link": "review_link",
        },
        required=("submitted_at", "rating"),
        derived=_google_play_review_id,
    ),
    columns=(
        Column("review_id", required=True),
        Column("package_name"),
        Column("app_version"),
        Column("app_version_code"),
        Column("language"),
        Column("device"),
        Column("submitted_at", "timestamp", required=True),
        Column("updated_at", "timestamp"),
        Column("rating", "int", required=True, minimum=1, maximum=5),
        Column("title"),
        Column("review"),
        Column("replied_at", "timestamp"),
        Column("developer_reply"),
        Column("review_link"),
    ),
    redact=("title", "review", "developer_reply"),
)
