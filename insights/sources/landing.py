"""What is in the landing folder now, cheaply: enough to tell which sources have new files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from insights.sources.spec import SourceSpec


def landing_fingerprints(landing_dir: Path, specs: Iterable[SourceSpec]) -> dict[str, str]:
    """Per source with files, a digest of its files' paths, sizes and modification times.

    Stat only, no content hashing: this runs every minute, and the loader's own content
    hash decides what actually gets loaded, so a touched-but-unchanged file costs one
    cheap run that skips it.
    """
    fingerprints = {}
    for spec in specs:
        files = spec.files(landing_dir)
        if not files:
            continue
        digest = hashlib.sha256()
        for path in files:
            stat = path.stat()
            digest.update(f"{path.relative_to(landing_dir).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        fingerprints[spec.name] = digest.hexdigest()
    return fingerprints


def changed_sources(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    """Sources whose files appeared or changed since `previous`; a removed file changes nothing
    to load, so a source that only lost files is not listed."""
    return sorted(name for name, digest in current.items() if previous.get(name) != digest)
