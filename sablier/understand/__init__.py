"""The waist: read a public message and assess how to respond. Pure text -> dataclasses."""

from sablier.understand.assessment import Assessment, assess, check_tree
from sablier.understand.assessment_tree import START, TREE
from sablier.understand.considerations import CONSIDERATIONS, Consideration
from sablier.understand.reader import read
from sablier.understand.reading import Judgement, Reading

__all__ = [
    "CONSIDERATIONS",
    "START",
    "TREE",
    "Assessment",
    "Consideration",
    "Judgement",
    "Reading",
    "assess",
    "check_tree",
    "read",
]
