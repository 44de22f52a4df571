"""Every size and depth limit on input, in one place (documented in docs/operations.md).

A landing file is untrusted: these bound what one file can cost in memory and time, so a
hostile or broken export fails alone, with a ledger row naming the limit, instead of taking
the night with it. Code reads them as `limits.NAME` at call time, so a test (or a deployment
that patches this module) can lower one without touching the readers.
"""

from __future__ import annotations

MIB = 1024 * 1024

# Largest landing file read at all (bytes on disk). Readers hold a file's text in memory.
MAX_FILE_BYTES = 256 * MIB

# A gzipped export may expand to at most this many bytes, and at most this many times its
# compressed size (a "zip bomb" of zeros expands about 1000x; real JSON lines about 10x).
MAX_DECOMPRESSED_BYTES = 1024 * MIB
MAX_GZIP_RATIO = 200

# Deepest nesting of arrays/objects in a JSON document or JSON-lines record. Real exports
# nest about 6 deep (Intercom's conversation parts); Python's parser recurses per level.
MAX_JSON_DEPTH = 64

# Longest single CSV field (characters). A pasted log is long; a 16 MiB cell is not a comment.
MAX_FIELD_CHARS = 16 * MIB

# Longest text given to PII redaction; a longer value quarantines its row ("text longer than
# ..."), since loading it unredacted is not an option and redaction time grows with length.
MAX_REDACT_CHARS = 1_000_000

# Longest text passed to the sentence-embedding model; longer texts are truncated for
# embedding only (the model reads 256 word pieces anyway) and flagged by the theme step.
MAX_EMBED_CHARS = 2_000

# Longest message stored in raw.load_ledger.error (never file content, see load.py).
MAX_ERROR_CHARS = 300
