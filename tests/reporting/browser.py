"""Headless Chromium for the report tests: found, or installed from Debian the way .ci/run does,
and a stdlib PNG reader to tell a rendered page from a blank one."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]


def find_or_install_chromium() -> tuple[str | None, str]:
    """(path of chromium, "") or (None, why it cannot be had)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found, ""
    if not shutil.which("apt-get"):
        return None, "chromium is not installed and this machine has no apt-get to install it (Debian's `chromium`)"
    if os.geteuid() != 0:
        return None, "chromium is not installed; installing it needs root: sudo " + " ".join(INSTALL)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    tried = []
    for command in (INSTALL, ["apt-get", "update"], INSTALL):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
        tried.append(f"`{' '.join(command)}` exited {done.returncode}: {done.stderr.strip()[-300:]}")
        found = shutil.which("chromium")
        if found:
            return found, ""
    return None, "chromium could not be installed: " + "; ".join(tried)


def chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


def png_pixels(path: Path, max_rows: int | None = None) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of raw pixel bytes) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unsupported PNG layout {header}"
    pixel = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * pixel
    rows, previous = [], bytearray(stride)
    for y in range(min(height, max_rows or height)):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        _unfilter(kind, line, previous, pixel)
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def _unfilter(kind: int, line: bytearray, up: bytearray, bpp: int) -> None:
    if kind == 0:
        return
    if kind == 2:
        line[:] = bytes((a + b) & 0xFF for a, b in zip(line, up))
        return
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + ((left + up[i]) >> 1)) & 0xFF
        elif kind == 4:
            corner = up[i - bpp] if i >= bpp else 0
            p = left + up[i] - corner
            pa, pb, pc = abs(p - left), abs(p - up[i]), abs(p - corner)
            predictor = left if pa <= pb and pa <= pc else (up[i] if pb <= pc else corner)
            line[i] = (line[i] + predictor) & 0xFF
        else:
            raise ValueError(f"PNG filter type {kind}")


def colour_stats(path: Path, max_rows: int | None = None) -> tuple[int, float]:
    """(distinct colours, share of pixels that are not white) over the first `max_rows` rows."""
    width, _, rows = png_pixels(path, max_rows)
    pixel = len(rows[0]) // width
    colours, coloured, total = set(), 0, 0
    for row in rows:
        for x in range(0, len(row), pixel):
            rgb = row[x : x + 3]
            colours.add(rgb)
            coloured += rgb != b"\xff\xff\xff"
            total += 1
    return len(colours), coloured / total
