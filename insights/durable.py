"""Making a write survive a crash before it is renamed into place: fsync of files and folders."""

from __future__ import annotations

import os
from pathlib import Path


def fsync(path: Path) -> None:
    """Flush one file or folder (a folder's entries: the names a rename just made) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """Flush everything under `folder`, deepest first, then the folder itself."""
    for path in sorted(folder.rglob("*"), reverse=True):
        fsync(path)
    fsync(folder)
