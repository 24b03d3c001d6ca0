"""The pipeline's stages in order: ingest stores (listen/), then understand → route → refine.
Assessment is part of routing: the route stage assesses the reading, then applies the rules."""

from __future__ import annotations

from sablier.pipeline.stage import Stage
from sablier.pipeline.waiting import UNREAD, UNREFINED, UNROUTED
from sablier.workers.refine import refine_mentions
from sablier.workers.triage import read_mentions, route_cases

UNDERSTAND = Stage("understand", UNREAD, read_mentions)
ROUTE = Stage("route", UNROUTED, route_cases)
REFINE = Stage("refine", UNREFINED, refine_mentions)
STAGES = (UNDERSTAND, ROUTE, REFINE)
