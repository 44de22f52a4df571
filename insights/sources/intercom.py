"""Intercom conversations: one record per conversation, its parts joined into text.

Intercom's export (the Conversations API, written as `{"conversations": [...]}` or one
conversation per line) nests the customer's words across the opening message (`source`)
and `conversation_parts`, each with an author type (`user`, `lead`, `contact`, `admin`,
`bot`, `team`). Feedback is what customers wrote, so that is joined into `customer_text`;
the whole thread, each part prefixed with its author type, stays in `conversation_text`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

# Author types that are the customer speaking; everything else is us or automation.
CUSTOMER_AUTHORS = frozenset({"user", "lead", "contact"})

_BREAK_RE = re.compile(r"(?i)<\s*(?:br|/p|/div|/li)\s*/?>")
_TAG_RE = re.compile(r"<[^>]+>")
# Intercom bodies are HTML; a bare "<" in text is escaped as &lt;, so a tag-shaped run
# here really is markup. Placeholders like <EMAIL> are added after this, by redaction.


def html_to_text(body: str | None) -> str:
    """Plain text of an Intercom HTML body, paragraphs separated by newlines."""
    if not body:
        return ""
    text = _TAG_RE.sub("", _BREAK_RE.sub("\n", body))
    lines = (" ".join(line.split()) for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def _parts(conversation: Mapping) -> list[tuple[str, str]]:
    """(author type, text) for the opening message and each part, in thread order."""
    parts: list[tuple[str, str]] = []
    source = conversation.get("source")
    if isinstance(source, Mapping):
        author = source.get("author") if isinstance(source.get("author"), Mapping) else {}
        parts.append((str(author.get("type") or "unknown"), html_to_text(source.get("body"))))
    container = conversation.get("conversation_parts")
    listed = container.get("conversation_parts") if isinstance(container, Mapping) else container
    for part in listed if isinstance(listed, list) else []:
        if not isinstance(part, Mapping):
            continue
        author = part.get("author") if isinstance(part.get("author"), Mapping) else {}
        parts.append((str(author.get("type") or "unknown"), html_to_text(part.get("body"))))
    return [(author, text) for author, text in parts if text]


def _first_contact(conversation: Mapping) -> Mapping:
    contacts = conversation.get("contacts")
    listed = contacts.get("contacts") if isinstance(contacts, Mapping) else contacts
    if isinstance(listed, list) and listed and isinstance(listed[0], Mapping):
        return listed[0]
    return {}


def _tag_names(conversation: Mapping) -> str | None:
    tags = conversation.get("tags")
    listed = tags.get("tags") if isinstance(tags, Mapping) else tags
    names = [str(t.get("name")) for t in listed or [] if isinstance(t, Mapping) and t.get("name")]
    return ",".join(names) or None


def flatten_conversation(conversation: Mapping) -> dict[str, str | None]:
    """The derived columns of one conversation (the plain fields are mapped by path)."""
    parts = _parts(conversation)
    contact = _first_contact(conversation)
    authors: list[str] = []
    for author, _ in parts:
        if author not in authors:
            authors.append(author)
    customer = [text for author, text in parts if author in CUSTOMER_AUTHORS]
    return {
        "customer_text": "\n\n".join(customer) or None,
        "conversation_text": "\n\n".join(f"[{author}] {text}" for author, text in parts) or None,
        "author_types": ",".join(authors) or None,
        "part_count": str(len(parts)),
        # Intercom's external_id is the CRM user ID when the workspace sets it (as Zendesk's does).
        "user_id": str(contact.get("external_id") or contact.get("id") or "") or None,
        "tags": _tag_names(conversation),
    }
