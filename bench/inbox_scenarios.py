"""What bench/inbox.py asks the running hub, and the p50/p95/p99 table it prints."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from inbox_hub import MEMBER_DEPARTMENT, Hub
from inbox_wal import percentile, print_writes

COMMON = ("horizon", "merci", "panne", "frais")
INTENTS = ("complaint", "question", "praise", "crisis")
WARM_UP = 10
Ask = Callable[[int], tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class Scenario:
    name: str
    ask: Ask
    who: str = "central"  # central | member | browser


def scenarios(hub: Hub) -> list[Scenario]:
    from sablier.cases.queries import encode_cursor

    rng = random.Random(8)
    departments = hub.departments

    def inbox(i: int, **more: Any) -> dict[str, Any]:
        return {"department": departments[i % len(departments)], "state": "open", "limit": 50, **more}

    return [
        Scenario("API health (the server's floor, no query)", lambda i: ("api/health", {})),
        Scenario("API inbox: a department's open cases", lambda i: ("api/cases", inbox(i))),
        Scenario(
            "HTML department page",
            lambda i: (f"departments/{departments[i % len(departments)]}/", {}),
            "browser",
        ),
        Scenario("HTML central inbox (every column)", lambda i: ("", {}), "browser"),
        Scenario("API department, every state", lambda i: ("api/cases", {**inbox(i), "state": None})),
        Scenario("API one state (in_department)", lambda i: ("api/cases", inbox(i, state="in_department"))),
        Scenario(
            "API open + intent + language",
            lambda i: ("api/cases", inbox(i, intent=INTENTS[i % 4], language=("fr", "en")[i // 4 % 2])),
        ),
        Scenario(
            "API next page, cursor anywhere",
            lambda i: (
                "api/cases",
                {**inbox(i), "state": None, "cursor": encode_cursor(rng.randrange(hub.mentions // 2))},
            ),
        ),
        Scenario(
            "API search inbox, common word", lambda i: ("api/cases", inbox(i, q=COMMON[i % len(COMMON)]))
        ),
        Scenario(
            "API search inbox, rare word", lambda i: ("api/cases", inbox(i, q=hub.rare[i % len(hub.rare)]))
        ),
        Scenario(
            "API search all cases, common word", lambda i: ("api/cases", {"q": COMMON[i % len(COMMON)]})
        ),
        Scenario(
            "API search all cases, rare word", lambda i: ("api/cases", {"q": hub.rare[i % len(hub.rare)]})
        ),
        Scenario(
            "API member, own department open",
            lambda i: ("api/cases", {"department": MEMBER_DEPARTMENT, "state": "open"}),
            "member",
        ),
        Scenario("API member, every visible open case", lambda i: ("api/cases", {"state": "open"}), "member"),
    ]


def _client(hub: Hub, who: str) -> httpx.Client:
    if who == "browser":
        return httpx.Client(base_url=hub.url, cookies={"sessionid": hub.session}, timeout=120)
    token = hub.member_token if who == "member" else hub.central_token
    return httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token}"}, timeout=120)


def _run(client: httpx.Client, scenario: Scenario, count: int) -> tuple[list[float], float]:
    timings, items = [], []
    for i in range(WARM_UP + count):
        path, params = scenario.ask(i)
        started = time.perf_counter()
        response = client.get("/" + path, params={k: v for k, v in params.items() if v is not None})
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{scenario.name}: {response.status_code} {response.text[:300]}")
        if i >= WARM_UP:
            timings.append(elapsed * 1000)
            if path == "api/cases":
                items.append(len(response.json()["items"]))
    return timings, statistics.mean(items) if items else float("nan")


def measure(hub: Hub, count: int, database: str) -> None:
    print(f"\n{database}, {hub.mentions:,} mentions, {count} requests per line (ms)")
    print("| request | p50 | p95 | p99 | items |")
    print("|---|---|---|---|---|")
    for scenario in scenarios(hub):
        with _client(hub, scenario.who) as client:
            timings, items = _run(client, scenario, count)
        p50, p95, p99 = (percentile(timings, share) for share in (0.5, 0.95, 0.99))
        shown = "" if items != items else f"{items:.1f}"
        print(f"| {scenario.name} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {shown} |", flush=True)
    if hub.sqlite:
        print_writes(hub.sqlite, count * 15, rounds=1)
