"""What is in the landing folder now, cheaply: enough to tell which sources have new files."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from insights.sources.spec import SourceSpec, UnreadableFile

_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


class NotARegularFile(UnreadableFile):
    """A landing entry that is not a regular file (symlink, FIFO, device): refused unread."""


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def refusal(landing_dir: Path, path: Path, st: os.stat_result) -> str | None:
    """Why `path` (with its `lstat` result) must not be read, or None for a regular file.

    Only regular files under landing/ are read: a symlink, even to a file inside landing/,
    is refused, and so is a file reached through a symlinked folder below landing/. Nothing
    is resolved or opened to decide, and the reason names no target.
    """
    if not stat.S_ISREG(st.st_mode):
        return f"{_kind(st.st_mode)}, not a regular file; refused unread"
    parent = path.parent
    while parent != landing_dir and landing_dir in parent.parents:
        if os.path.islink(parent):
            return "inside a symbolically linked folder; refused unread"
        parent = parent.parent
    return None


def open_regular(path: Path) -> BinaryIO:
    """Open `path` for reading only if it is a regular file, never following a symlink and
    never blocking on a FIFO (checked on the open descriptor, so a swap after listing fails)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise NotARegularFile(f"could not be opened as a regular file ({exc.strerror})") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise NotARegularFile(f"{_kind(st.st_mode)}, not a regular file; refused unread")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


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
            try:
                st = os.lstat(path)  # never follow a link: its target is not ours to stat
            except OSError:
                continue
            digest.update(f"{path.relative_to(landing_dir).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        fingerprints[spec.name] = digest.hexdigest()
    return fingerprints


def changed_sources(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    """Sources whose files appeared or changed since `previous`; a removed file changes nothing
    to load, so a source that only lost files is not listed."""
    return sorted(name for name, digest in current.items() if previous.get(name) != digest)


def sources_changed_since_load(
    landing_dir: Path, specs: Iterable[SourceSpec], loaded: dict[tuple[str, str], tuple[int, int]]
) -> list[str]:
    """Sources with a file that `loaded` (source, path) -> (size, mtime_ns), the load ledger,
    does not hold at its current size and modification time: landed or changed since the
    last load. A removed file changes nothing to load, as in `changed_sources`."""
    changed = []
    for spec in specs:
        for path in spec.files(landing_dir):
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if loaded.get((spec.name, path.relative_to(landing_dir).as_posix())) != (st.st_size, st.st_mtime_ns):
                changed.append(spec.name)
                break
    return sorted(changed)
