"""A synthetic company of any size written as landing files by DuckDB SQL, for bench/scale.py.

Every row is drawn in SQL from `range(n)` with hash-based draws (`hash(i, salt)`), so a
million rows cost seconds and the same sizes give the same files. Feedback texts are put
together from the sample's own template bank (insights/sample/bank): each item takes one
planted theme's problem sentence, sometimes a second paraphrase and a theme detail, and the
shared greetings, lead-ins and closers, so themes exist for the clusterer to find; 5 % are the
bank's off-topic texts. 60 % land as Zendesk tickets (JSON lines), 40 % as survey answers
(CSV). Events are Segment track calls (JSON lines, `COPY ... (FORMAT json)`), split into files
below the loader's MAX_FILE_BYTES. `truth.parquet` keeps each item's planted theme and the
template pieces it was built from, so the bench can compose vectors without the model.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from insights.sample.bank import THEMES, shared
from insights.sample.usage import FEATURES

NOISE_SHARE = 0.05
TICKET_SHARE = 0.6
EVENTS_PER_FILE = 500_000
TICKETS_PER_FILE = 200_000
PLANS = ("free", "starter", "pro", "enterprise")
END = "2026-11-30"
DAYS = 180


def pieces() -> pd.DataFrame:
    """Every template piece, one row each: piece (its number), kind, theme (-1 shared), idx, text."""
    rows = []
    for theme_no, theme in enumerate(THEMES):
        for kind, texts in (("problem", theme.problems), ("detail", theme.details), ("title", theme.titles)):
            rows += [(kind, theme_no, i, text) for i, text in enumerate(texts)]
    for kind, texts in (("greeting", shared.GREETINGS), ("lead_in", shared.LEAD_INS), ("closer", shared.CLOSERS)):
        rows += [(kind, -1, i, text) for i, text in enumerate(texts)]
    rows += [("noise_subject", -1, i, subject) for i, (subject, _) in enumerate(shared.NOISE_TICKETS)]
    rows += [("noise_body", -1, i, body) for i, (_, body) in enumerate(shared.NOISE_TICKETS)]
    frame = pd.DataFrame(rows, columns=["kind", "theme", "idx", "text"])
    frame.insert(0, "piece", range(len(frame)))
    return frame


def _bank(con: duckdb.DuckDBPyConnection) -> None:
    con.register("pieces_frame", pieces())
    con.execute("create or replace table pieces as select * from pieces_frame")
    weights = pd.DataFrame({"theme": range(len(THEMES)), "volume": [t.volume for t in THEMES]})
    con.register("weights_frame", weights)
    # Each theme owns a slice [lo, hi) of [NOISE_SHARE, 1) as wide as its volume.
    con.execute(
        f"""
        create or replace table themes as
        with w as (select theme, volume / sum(volume) over () * (1 - {NOISE_SHARE}) as share from weights_frame)
        select theme,
               {NOISE_SHARE} + sum(share) over (order by theme) - share as lo,
               {NOISE_SHARE} + sum(share) over (order by theme) as hi
        from w
        """
    )
    # Pieces of a kind as a list (1-based, ordered by idx) and piece numbers beside them.
    con.execute(
        """
        create or replace table bank as
        select theme, kind, list(text order by idx) as texts, list(piece order by idx) as ids
        from pieces group by theme, kind
        """
    )
    con.execute("create or replace macro u(i, salt) as (hash(i, salt) % 1000000)::double / 1000000")
    # The i-th draw from a list: 1-based index into `texts`/`ids` of length n.
    con.execute("create or replace macro pick(i, salt, n) as 1 + (hash(i, salt) % n)::bigint")


def _copy_chunks(con, select_sql: str, n: int, per_file: int, folder: Path, name: str, options: str) -> None:
    """COPY `select_sql` (which has a column `i`) to files of at most `per_file` rows each."""
    folder.mkdir(parents=True, exist_ok=True)
    for part, start in enumerate(range(0, n, per_file)):
        target = folder / f"{name}-{part:05d}.{'csv' if 'csv' in options else 'jsonl'}"
        con.execute(
            f"copy (select * exclude (i) from ({select_sql}) where i >= {start} and i < {start + per_file} "
            f"order by i) to '{target}' ({options})"
        )


def generate(workdir: Path, n_feedback: int, n_events: int, n_accounts: int, users_per_account: int = 8) -> dict:
    """Write landing/{accounts,users,segment,zendesk,surveys} under `workdir`, and truth.parquet."""
    landing = workdir / "landing"
    con = duckdb.connect()
    _bank(con)
    n_users = n_accounts * users_per_account
    # Users j belong to account j % n_accounts; an item's author is one of its account's users.
    con.execute(
        f"""
        create table accounts as
        select i, 'acc_' || lpad(i::varchar, 7, '0') as "Account ID", 'Company ' || i as "Account Name",
               ['{"','".join(PLANS)}'][pick(i, 'plan', {len(PLANS)})] as "Plan",
               round(500 + u(i, 'arr') * 90000, 2) as "ARR",
               ['smb', 'mid_market', 'enterprise'][pick(i, 'segment', 3)] as "Segment",
               ['NA', 'EMEA', 'APAC', 'LATAM'][pick(i, 'region', 4)] as "Region",
               'owner' || (i % 17) || '@vendor.example' as "Account Owner",
               strftime(date '2023-01-01' + (hash(i, 'created') % 1000)::int, '%Y-%m-%d') as "Created Date"
        from range({n_accounts}) t(i)
        """
    )
    _copy_chunks(
        con, "select * from accounts", n_accounts, n_accounts, landing / "accounts", "accounts", "format csv, header"
    )
    con.execute(
        f"""
        create table users as
        select i, 'usr_' || lpad(i::varchar, 8, '0') as "User ID",
               'acc_' || lpad((i % {n_accounts})::varchar, 7, '0') as "Account ID",
               'user' || i || '@customer' || (i % {n_accounts}) || '.example' as "Email",
               'User ' || i as "Full Name", ['admin', 'member', 'viewer'][pick(i, 'role', 3)] as "Role",
               strftime(timestamp '2024-01-01' + to_seconds(hash(i, 'joined') % 60000000), '%Y-%m-%d %H:%M:%S')
                   as "Created At"
        from range({n_users}) t(i)
        """
    )
    _copy_chunks(con, "select * from users", n_users, n_users, landing / "users", "users", "format csv, header")
    features = pd.DataFrame(
        {"f": range(len(FEATURES)), "key": [f.key for f in FEATURES], "event": [f.event for f in FEATURES]}
    )
    con.register("features", features)
    events = f"""
        with e as (select i, hash(i, 'user') % {n_users} as usr, pick(i, 'feature', {len(FEATURES)}) - 1 as f
                   from range({n_events}) t(i))
        select i, 'track' as type, 'msg_' || lpad(i::varchar, 10, '0') as messageId, features.event as event,
               'usr_' || lpad(usr::varchar, 8, '0') as userId, 'anon_' || usr as anonymousId,
               strftime(timestamp '{END}' - to_seconds({DAYS} * 86400) + to_seconds(hash(i, 'at') % ({DAYS} * 86400)),
                        '%Y-%m-%dT%H:%M:%S.000Z') as timestamp,
               struct_pack(feature := features.key) as properties,
               struct_pack(groupId := 'acc_' || lpad((usr % {n_accounts})::varchar, 7, '0'),
                           library := struct_pack(name := 'analytics.js', version := '4.1.0')) as context
        from e join features using (f)
    """
    _copy_chunks(con, events, n_events, EVENTS_PER_FILE, landing / "segment", "events", "format json")
    _feedback(con, landing, n_feedback, n_accounts, users_per_account)
    con.execute(f"copy (select * from items order by i) to '{workdir / 'truth.parquet'}' (format parquet)")
    counts = con.execute("select count(*), count(distinct text) from items").fetchone()
    con.close()
    return {
        "feedback": counts[0],
        "distinct_texts": counts[1],
        "events": n_events,
        "accounts": n_accounts,
        "users": n_users,
    }


def _feedback(con, landing: Path, n: int, n_accounts: int, users_per_account: int) -> None:
    drawn = f"""
        select i, coalesce(t.theme, -1) as theme,
               hash(i, 'account') % {n_accounts} as account,
               u(i, 'source') < {TICKET_SHARE} as is_ticket
        from range({n}) r(i) left join themes t on u(i, 'theme') >= t.lo and u(i, 'theme') < t.hi
    """
    con.execute(f"create temp table drawn as {drawn}")
    # One lookup per piece kind: bank rows joined by theme (themed kinds) or by the constant -1 (shared).
    parts = {
        "problem": ("d.theme", "problem", 1.0),
        "problem2": ("d.theme", "problem", 0.2),
        "detail": ("d.theme", "detail", 0.5),
        "title": ("d.theme", "title", 1.0),
        "greeting": ("-1", "greeting", 0.4),
        "lead_in": ("-1", "lead_in", 0.3),
        "closer": ("-1", "closer", 0.4),
        "noise_subject": ("-1", "noise_subject", 1.0),
        "noise_body": ("-1", "noise_body", 1.0),
    }
    joins, columns = [], []
    for name, (theme, kind, chance) in parts.items():
        salt = "noise_body" if name == "noise_subject" else name  # a noise subject goes with its body
        joins.append(f"left join bank {name}_l on {name}_l.theme = {theme} and {name}_l.kind = '{kind}'")
        index = f"pick(d.i, '{salt}', len({name}_l.texts))"
        keep = "true" if chance >= 1 else f"u(d.i, '{name}?') < {chance}"
        columns.append(f"case when {keep} then {name}_l.texts[{index}] end as {name}")
        columns.append(f"case when {keep} then {name}_l.ids[{index}] end as {name}_id")
    con.execute(
        f"""
        create temp table picked as
        select d.*, {", ".join(columns)}
        from drawn d {" ".join(joins)}
        """
    )
    # Slots such as {seats} or {weekday} in a detail become a number: their words do not matter here.
    con.execute(
        f"""
        create table items as
        select i, is_ticket, theme, account,
               'acc_' || lpad(account::varchar, 7, '0') as account_id,
               'usr_' || lpad((account + {n_accounts} * (hash(i, 'author') % {users_per_account}))::varchar, 8, '0')
                   as user_id,
               timestamp '{END}' - to_seconds({DAYS} * 86400) + to_seconds(hash(i, 'at') % ({DAYS} * 86400)) as created,
               case when theme < 0 then noise_subject else title end as subject,
               case when theme < 0 then noise_body
                    else regexp_replace(concat_ws(' ', greeting, lead_in, problem, problem2, detail, closer),
                                        '\\{{[a-z0-9_]+\\}}', (12 + hash(i, 'slot') % 388)::varchar, 'g') end as text,
               case when theme < 0 then [noise_body_id]
                    else list_filter([greeting_id, lead_in_id, problem_id, problem2_id, detail_id, closer_id],
                                     lambda x: x is not null) end as piece_ids,
               case when theme < 0 then 9 + (hash(i, 'score') % 2)::int else (hash(i, 'score') % 7)::int end as score
        from picked
        """
    )
    n_tickets = con.execute("select count(*) from items where is_ticket").fetchone()[0]
    tickets = """
        select row_number() over (order by i) - 1 as i, 40000 + i as id,
               strftime(created, '%Y-%m-%dT%H:%M:%SZ') as created_at, strftime(created, '%Y-%m-%dT%H:%M:%SZ') as updated_at,
               subject, text as description, 'solved' as status, 'normal' as priority,
               user_id as requester_id, account_id as organization_id, ['plan_pro'] as tags,
               struct_pack(channel := 'email') as via, struct_pack(score := 'offered') as satisfaction_rating
        from items where is_ticket
    """
    _copy_chunks(con, tickets, n_tickets, TICKETS_PER_FILE, landing / "zendesk", "tickets", "format json")
    surveys = """
        select row_number() over (order by i) - 1 as i, 'R_' || lpad(i::varchar, 12, '0') as "Response ID",
               strftime(created, '%Y-%m-%d %H:%M:%S') as "Created At",
               user_id || '@customer.example' as "Email", score as "Score", text as "Comment",
               account_id as "Account ID", 'Relationship NPS' as "Survey"
        from items where not is_ticket
    """
    _copy_chunks(con, surveys, n - n_tickets, n, landing / "surveys", "responses", "format csv, header")
