"""Hostile and malformed exports, one per failure class of issue 13, to drop beside real ones.

Used by tests/orchestration/test_hostile_night.py, and by hand for a fire drill on a copy of
your data (`make run` must still end with exit 0, each file below in the ledger or the
quarantine):

    .venv/bin/python tests/hostile_landing.py data/landing

Every file is named `hostile-*` so it is easy to find and remove again. `HOSTILE` says what
the pipeline must make of each: `failed` (the whole file refused, a ledger row says why) or
`quarantined` (the file loads, its bad rows go to raw.quarantine with a reason).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import sys
from pathlib import Path

ACCOUNTS_HEADER = "Account ID,Account Name,Plan,ARR,Segment,Region,Account Owner,Created Date\n"
NPS_HEADER = "Response ID,Created At,Email,Score,Comment,Account ID,Survey,Plan\n"

# Values that must never reach a mart or a log: found anywhere in the snapshot or in the
# run's event log, something leaked.
OUTSIDE_SENTINEL = "OUTSIDE-SENTINEL-ROAD"
SECRETS = (
    "jane.doe.hostile@example.com",
    "+44 20 7946 0958",
    "GB82 WEST 1234 5698 7654 32",
    "4111 1111 1111 1111",
    "078-05-1120",
    "AKIAIOSFODNN7HOSTILE",
    "ghp_" + "a1B2c3D4e5" * 3 + "f6G7h8",
    "tok3nS3cretValue99",
    "hunter2pass",
)
# Good rows inside hostile files: they must load while their neighbours are refused.
GOOD_ACCOUNT = "acc_9000"
GOOD_TEXT_UTF8 = "Export to café menu crashes"
GOOD_TEXT_U2028 = "Line one\u2028line two of one ticket"

HOSTILE: dict[str, str] = {
    "zendesk/hostile-deep.json": "failed",
    "amplitude/hostile-corrupt.json.gz": "failed",
    "amplitude/hostile-bomb.json.gz": "failed",
    "surveys/hostile-huge-field.csv": "failed",
    "canny/hostile-duplicate-columns.csv": "failed",
    "jira/hostile-link.csv": "failed",
    "zendesk/hostile-environ.json": "failed",
    "users/hostile-fifo.csv": "failed",
    "segment/hostile-dates.jsonl": "quarantined",
    "zendesk/hostile-surrogate.jsonl": "quarantined",
    "accounts/hostile-garbage.csv": "quarantined",
    "accounts/hostile-values.csv": "quarantined",
    "surveys/hostile-bad-utf8.csv": "quarantined",
}


def _write(landing: Path, rel: str, data: str | bytes) -> Path:
    path = landing / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _event(message_id: str, timestamp: str) -> str:
    return json.dumps(
        {
            "type": "track",
            "messageId": message_id,
            "event": "Report Exported",
            "userId": "usr_00001",
            "timestamp": timestamp,
            "properties": {"feature": "exports"},
            "context": {"groupId": "acc_0001"},
        }
    )


def _ticket(ticket_id: int, description: str, tags=()) -> dict:
    return {
        "id": ticket_id,
        "created_at": "2026-11-20T09:15:00Z",
        "updated_at": "2026-11-20T10:00:00Z",
        "subject": "Exports",
        "description": description,
        "status": "open",
        "priority": "normal",
        "requester_id": "usr_00001",
        "organization_id": "acc_0001",
        "tags": list(tags),
    }


def write_hostile_files(landing: Path, outside: Path) -> dict[str, str]:
    """Write every hostile file under `landing` (the outside file a symlink points at goes to
    `outside`, a folder beyond landing); returns HOSTILE."""
    landing, outside = Path(landing), Path(outside)
    outside.mkdir(parents=True, exist_ok=True)

    # A file can fail; the night cannot.
    _write(landing, "zendesk/hostile-deep.json", "[" * 100_000 + "]" * 100_000)
    secret = gzip.compress(b'{"secret": "hunter2pass"}\n' * 200)
    _write(landing, "amplitude/hostile-corrupt.json.gz", secret[:20] + b"\x00garbage" + secret[28:])
    _write(landing, "amplitude/hostile-bomb.json.gz", gzip.compress(b" " * (64 * 1024 * 1024), compresslevel=9))
    huge = "x" * (16 * 1024 * 1024 + 10)
    _write(
        landing, "surveys/hostile-huge-field.csv", NPS_HEADER + f'H1,2026-11-02,a@x.io,9,"{huge}",acc_0001,nps,pro\n'
    )
    _write(
        landing,
        "canny/hostile-duplicate-columns.csv",
        "ID,Title,Title,Status,Score,Author Name,Author Email,Company ID,Board,Created At\n"
        "c1,One,Two,open,1,A,a@x.io,acc_0001,Feature Requests,2026-11-01T00:00:00Z\n",
    )

    # Nothing gets in: only regular files are read, their targets never opened.
    outside_csv = _write(
        outside,
        "outside.csv",
        "Issue key,Summary,Status,Story Points,Labels,Created,Resolved,Issue Type,Status Category,Parent,Component/s\n"
        f"ROAD-999,{OUTSIDE_SENTINEL},Done,3,,2026-10-01T00:00:00,,Story,Done,,Reports\n",
    )
    (landing / "jira").mkdir(parents=True, exist_ok=True)
    (landing / "jira" / "hostile-link.csv").symlink_to(outside_csv)
    (landing / "zendesk" / "hostile-environ.json").symlink_to("/proc/self/environ")
    (landing / "users").mkdir(parents=True, exist_ok=True)
    os.mkfifo(landing / "users" / "hostile-fifo.csv")

    # A row can be wrong; the marts cannot.
    lines = [
        _event("hostile-year-1", "0001-01-01T00:30:00+01:00"),
        _event("hostile-year-9999", "9999-12-31T23:30:00-01:00"),
        _event("hostile-1900", "1900-06-01T12:00:00Z"),
        _event("hostile-partial", "2024-03"),
        _event("hostile-good", "2026-11-01T12:00:00Z"),
    ]
    _write(landing, "segment/hostile-dates.jsonl", "\n".join(lines) + "\n")
    surrogate = json.dumps(_ticket(990001, "placeholder")).replace("placeholder", "bad \\ud800 text")
    pii = _ticket(
        990003,
        f"Mail {SECRETS[0]} or call {SECRETS[1]}; IBAN {SECRETS[2]}, card {SECRETS[3]}, SSN {SECRETS[4]}, "
        f"key {SECRETS[5]}, token {SECRETS[6]}, see https://app.example.com/x?token={SECRETS[7]} "
        f"and https://admin:{SECRETS[8]}@db.example.com/ - the export to PDF drops every chart.",
        tags=[f"cc:{SECRETS[0]}"],
    )
    tickets = [surrogate, json.dumps(_ticket(990002, GOOD_TEXT_U2028), ensure_ascii=False), json.dumps(pii)]
    _write(landing, "zendesk/hostile-surrogate.jsonl", "\n".join(tickets) + "\n")

    noise = random.Random(13).randbytes(64 * 1024)
    _write(landing, "accounts/hostile-garbage.csv", ACCOUNTS_HEADER.encode() + noise)
    _write(
        landing,
        "accounts/hostile-values.csv",
        ACCOUNTS_HEADER
        + f"{GOOD_ACCOUNT},Good Row Ltd,pro,1000.00,SMB,EMEA,,2024-01-02\n"
        + "acc_9001,Inf Ltd,pro,inf,SMB,EMEA,,2024-01-02\n"
        + "acc_9002,NaN Ltd,pro,nan,SMB,EMEA,,2024-01-02\n"
        + "acc_9003,Huge Ltd,pro,1e999,SMB,EMEA,,2024-01-02\n"
        + 'acc_9004,Locale Ltd,pro,"1.234,56",SMB,EMEA,,2024-01-02\n'
        + 'acc_9005,Comma Ltd,pro,"23800,00",SMB,EMEA,,2024-01-02\n'
        + "acc_9006,Big Ltd,pro,1e13,SMB,EMEA,,2024-01-02\n"
        + "acc_9007,Old Ltd,pro,10.00,SMB,EMEA,,1900-01-01\n"
        + "acc_9008,Partial Ltd,pro,10.00,SMB,EMEA,,2024-03\n"
        + "'; drop table raw.accounts; --,Inject Ltd,pro,10.00,SMB,EMEA,,2024-01-02\n"
        + "acc_9010,Bell\x07Ltd,pro,10.00,SMB,EMEA,,2024-01-02\n"
        + "acc_9011,Short Ltd\n",
    )
    _write(
        landing,
        "surveys/hostile-bad-utf8.csv",
        NPS_HEADER.encode()
        + f"H2,2026-11-02 10:00:00,a@x.io,4,{GOOD_TEXT_UTF8},acc_0001,In-app NPS,pro\n".encode()
        + b"H3,2026-11-02 10:00:00,a@x.io,4,bad \xff byte,acc_0001,In-app NPS,pro\n",
    )
    return dict(HOSTILE)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: tests/hostile_landing.py <landing folder>")
    target = Path(sys.argv[1])
    for rel, outcome in write_hostile_files(target, target.parent / "hostile-outside").items():
        print(f"{outcome:>12}  {rel}")
