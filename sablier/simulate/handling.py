"""How long each piece of work takes a person: lognormal handling times per task and intent, drawn
from a generator seeded by (seed, case, task) so every model replays the very same work.

A lognormal with median m and shape s gives m·exp(s·Z), Z standard normal: positive, right-skewed
(most answers are quick, a few take long), the usual fit for service times in contact centres."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

# minutes: median of reading, checking and writing the answer, per intent
DRAFT_MEDIAN = {
    "complaint": 12.0,
    "question": 6.0,
    "praise": 2.0,
    "sales_lead": 6.0,
    "job": 5.0,
    "press": 15.0,
    "partnership": 8.0,
    "crisis": 20.0,
    "other": 5.0,
}
DRAFT_SHAPE = 0.6
TRIAGE = (2.0, 0.5)  # the central team reads the reading and the route, corrects when needed
CONSULT = (10.0, 0.7)  # a consulted department finds the facts and writes them in the thread
ASK = (2.0, 0.4)  # the owner writes the internal question
APPROVE = (4.0, 0.5)
PUBLISH = (1.0, 0.3)
# an answer written by a function that neither knows nor asked takes longer: it finds the facts alone
UNFAMILIAR = 1.5
# share of answers that commit to an amount or a promise (which approval rules may catch)
COMMITS = {"complaint": 0.3, "crisis": 0.2, "sales_lead": 0.1}
COMMITS_OTHERWISE = 0.05


def lognormal(rng: random.Random, median: float, shape: float) -> float:
    return median * math.exp(shape * rng.gauss(0.0, 1.0))


@dataclass(frozen=True)
class Handling:
    seed: int

    def _rng(self, key: str, task: str) -> random.Random:
        return random.Random(f"{self.seed}:{key}:{task}")

    def minutes(self, key: str, task: str, intent: str = "other") -> float:
        """Minutes of work for one task of one case; the same for every model under the same seed."""
        rng = self._rng(key, task)
        if task == "draft":
            return lognormal(rng, DRAFT_MEDIAN.get(intent, DRAFT_MEDIAN["other"]), DRAFT_SHAPE)
        median, shape = {"triage": TRIAGE, "ask": ASK, "approve": APPROVE, "publish": PUBLISH}.get(
            task.partition(":")[0], CONSULT
        )
        return lognormal(rng, median, shape)

    def commits(self, key: str, intent: str) -> bool:
        """Whether the answer promises something or names an amount."""
        return self._rng(key, "commits").random() < COMMITS.get(intent, COMMITS_OTHERWISE)
