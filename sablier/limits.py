"""Sizes the hub accepts, in one place."""

MAX_TEXT_LENGTH = 10_000  # a post, a comment, a draft
MAX_BULK_IDENTIFIERS = 10_000  # one contact-policy bulk check
