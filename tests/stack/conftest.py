from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live_server import serving


@pytest.fixture
def live_hub(transactional_db: None) -> Iterator[tuple[str, int]]:
    """The hub's real server in a thread, on the test database."""
    with serving() as address:
        yield address
