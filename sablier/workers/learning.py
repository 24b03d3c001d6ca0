"""The scheduled learner: retrain a label set once enough corrections have piled up."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sablier.errors import ValidationFailed
from sablier.learning.training import do_learn, due_label_sets

log = logging.getLogger(__name__)
NEW_EXAMPLES_TO_RETRAIN = 20
CHECK_EVERY = timedelta(minutes=10)
_last_check: dict[str, datetime] = {}


def learn_when_due(now: datetime, min_new: int = NEW_EXAMPLES_TO_RETRAIN) -> int:
    """At most every CHECK_EVERY per process: a set that cannot train yet is not retried each cycle."""
    last = _last_check.get("at")
    if last is not None and now - last < CHECK_EVERY:
        return 0
    _last_check["at"] = now
    trained = 0
    for name in due_label_sets(min_new):
        try:
            log.info("%s", do_learn(name, now=now).summary())
            trained += 1
        except ValidationFailed as exc:  # e.g. a new label with one example so far: wait for more
            log.info("label set %s not retrained: %s", name, exc.errors[0].message if exc.errors else exc)
    return trained
