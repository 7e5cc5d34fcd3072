"""Zapier's wording rules, as predicates the generator follows and `checks.py` holds the app to.

Zapier's integration checks and publishing guidelines ask for help text that says more than the
label (D011), labels in title case, and help text whose links are Markdown links (D002).
"""

from __future__ import annotations

import re

ARTICLES = {"a", "an", "the"}
# Words a title-case label keeps in lower case unless they start it (Zapier follows AP/Chicago style).
MINOR_WORDS = ARTICLES | {"and", "or", "nor", "but", "as", "at", "by", "for", "from", "in", "into", "of", "on",
                          "onto", "to", "with", "per", "via", "vs"}
MARKDOWN_LINK = re.compile(r"\[[^\]]+\]\((https?://[^)\s]+)\)")
_WORD = re.compile(r"[A-Za-z0-9]+")


def words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text)} - ARTICLES


def repeats_label(help_text: str, label: str) -> bool:
    """Whether the help text only says what the label says (`Title` / "The title."): every word of
    it is a word of the label."""
    return words(help_text) <= words(label)


def is_title_case(label: str) -> bool:
    """Each word capitalised, minor words lower case except the first (`Find Job by ID`)."""
    parts = label.split()
    for index, part in enumerate(parts):
        first = part.lstrip("(\"'")[:1]
        if not first.isalpha():
            continue
        minor = index > 0 and part.lower() in MINOR_WORDS
        if first.isupper() == minor:
            return False
    return True


def markdown_links(text: str) -> list[str]:
    """The URLs of the Markdown links in a help text."""
    return MARKDOWN_LINK.findall(text)
