"""The bundle workers read with: shipped models plus the organisation's trained heads."""

from __future__ import annotations

from sablier.learning.models import TrainedHead
from sablier.understand.bundle import Bundle, shipped_bundle
from sablier.understand.head import Head


def organisation_bundle() -> Bundle:
    """The shipped models with the organisation's trained heads on top, reloaded when one changes."""
    # examples and last_example_id change with every training that saw something new, even two
    # trainings stamped with the same `now`
    stamp = tuple(
        TrainedHead.objects.order_by("label_set").values_list(
            "label_set", "trained_at", "examples", "last_example_id"
        )
    )
    if _cache.get("stamp") != stamp:
        heads = {row.label_set: Head.from_bytes(bytes(row.artefact)) for row in TrainedHead.objects.all()}
        _cache.update(stamp=stamp, bundle=shipped_bundle().with_heads(heads))
    bundle = _cache["bundle"]
    assert isinstance(bundle, Bundle)
    return bundle


_cache: dict[str, object] = {}
