"""`sablier learn`: add examples from a file, then train; or train every label set with new examples."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Never

from tqdm import tqdm

from sablier.errors import ValidationFailed
from sablier.learning.examples import check_label_set_name, do_add_examples
from sablier.learning.examples_file import read_examples
from sablier.learning.models import LabelExample
from sablier.learning.training import do_learn, due_label_sets


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Bars:
    """One progress bar per stage of training, on stderr."""

    def __init__(self) -> None:
        self.bars: dict[str, tqdm[Never]] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.bars:
            self.bars[stage] = tqdm(total=total, desc=stage, file=sys.stderr, leave=True)
        bar = self.bars[stage]
        bar.update(done - bar.n)
        if done >= total:
            bar.close()


def learn_from_file(label_set: str, path: Path, *, replace: bool, now: datetime) -> int:
    check_label_set_name(label_set, "--label-set")
    if not path.is_file():
        say(f"sablier learn: {path} is not a file; give a CSV with columns text,label")
        return 2
    found = read_examples(path)
    for line, reason in found.rejected:
        say(f"line {line}: rejected: {reason}")
    if replace:
        LabelExample.objects.filter(label_set=label_set, source="import").delete()
    added = do_add_examples(label_set, found.pairs)
    say(f"{label_set}: {added} examples added from {path.name}")
    print(do_learn(label_set, now=now, progress=Bars()).summary())
    return 0


def learn_what_is_due(label_set: str | None, *, now: datetime) -> int:
    """Every set with new examples; one that cannot train yet is reported and the others go on."""
    names = [check_label_set_name(label_set, "--label-set")] if label_set else due_label_sets(min_new=1)
    if not names:
        say("nothing to learn: no label set has new examples")
    failed = 0
    for name in names:
        try:
            print(do_learn(name, now=now, progress=Bars()).summary())
        except ValidationFailed as exc:
            failed += 1
            say(f"{name}: not trained: {'; '.join(e.message for e in exc.errors) or exc.message}")
    return 2 if failed and failed == len(names) else 0
