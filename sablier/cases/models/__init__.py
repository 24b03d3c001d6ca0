from sablier.cases.models.case import Case, CaseEvent, RouteCorrection
from sablier.cases.models.draft import Approval, Draft
from sablier.cases.models.thread import CaseViewer, Comment, ThreadMention

__all__ = [
    "Approval",
    "Case",
    "CaseEvent",
    "CaseViewer",
    "Comment",
    "Draft",
    "RouteCorrection",
    "ThreadMention",
]
