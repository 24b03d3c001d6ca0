"""One regular expression for many words, shaped as a trie: it finds the longest of them in one pass.

Python's `re` tries the branches of `a|b|c…` one after the other; nested by shared beginnings,
the words cost one step per character, however many they are.
"""

from __future__ import annotations

import re

Node = dict[str, "Node"]
END = ""  # the key that marks the end of a word in a node


def trie_pattern(words: list[str]) -> str:
    """A pattern matching any of `words`, the longest one where several begin at the same place."""
    root: Node = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[END] = {}
    return _branches(root) if words else "(?!)"


def _branches(node: Node) -> str:
    branches = [re.escape(char) + _branches(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    ends = END in node
    body = branches[0] if len(branches) == 1 and not ends else f"(?:{'|'.join(branches)})"
    return body + "?" if ends else body  # greedy: a longer word is tried before this one ends
