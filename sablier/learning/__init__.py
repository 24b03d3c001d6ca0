"""The organisation's own models: examples from corrections and files, and the heads trained on them."""
