"""How many inbound messages each network brought: counters kept by triggers (listen migration 0004)
in the transaction that stores each mention, so the inbox never counts millions of rows."""

from __future__ import annotations

from django.db import connection

VOLUMES = "SELECT network, sum(n) FROM listen_volume GROUP BY network HAVING sum(n) > 0"


def network_volumes() -> list[tuple[str, int]]:
    """(network, inbound mentions), busiest first."""
    with connection.cursor() as cursor:
        cursor.execute(VOLUMES)
        rows = [(str(network), int(n)) for network, n in cursor.fetchall()]
    return sorted(rows, key=lambda pair: (-pair[1], pair[0]))


def recount_volumes() -> None:
    """Count again from the mentions (after a bulk load made with triggers off)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM listen_volume")
        cursor.execute(
            "INSERT INTO listen_volume (network, slot, n) SELECT network, 0, count(*)"
            " FROM listen_mention WHERE direction = 'inbound' GROUP BY network"
        )
