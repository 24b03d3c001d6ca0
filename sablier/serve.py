"""Serving the hub: demo data on first start, an embedded worker, uvicorn for UI, API and SSE."""

from __future__ import annotations

import sys
import threading

import uvicorn
from django.conf import settings
from tqdm import tqdm

from sablier.connectors.live import live_accounts, run_live
from sablier.connectors.registry import load_builtins
from sablier.demo.connectors import do_load_demo_connectors
from sablier.demo.loader import DEMO_MEMBERS, do_create_demo_people, do_load_demo_mentions
from sablier.workers.cycle import run_single_cycle
from sablier.workers.runner import Worker


def _load_demo() -> dict[str, str]:
    credentials = do_create_demo_people(settings.SABLIER.data_dir / "demo-credentials.json")
    with tqdm(unit="mention", file=sys.stderr, desc="demo mentions") as bar:
        report = do_load_demo_mentions(on_row=lambda: bar.update())
    if report is not None:
        print(f"demo mentions: {report.summary()}", file=sys.stderr)
    connectors = do_load_demo_connectors()  # after the mentions: those load only into an empty hub
    if connectors:
        print(f"demo connectors: {', '.join(connectors)}", file=sys.stderr)
    if report is not None or connectors:
        while run_single_cycle():
            pass
    return credentials


def serve(host: str, port: int, demo: bool, worker: bool = True) -> int:
    credentials = _load_demo() if demo else None
    url = f"http://{host}:{port}/"
    print(f"\n  Sablier is running at {url}", file=sys.stderr)
    if credentials:
        print(f"  log in as {credentials['username']} / {credentials['password']}", file=sys.stderr)
        print(f"  API token: {credentials['token']}", file=sys.stderr)
        people = ", ".join(f"{name} ({slug})" for name, (slug, _, _) in DEMO_MEMBERS.items())
        print(f"  demo colleagues, same password: {people}", file=sys.stderr)
        print(
            f"  try: curl -H 'Authorization: Bearer {credentials['token']}' {url}api/cases", file=sys.stderr
        )
    embedded = Worker()
    stop = threading.Event()
    streaming = []
    if worker:
        embedded.start_in_thread()
        load_builtins()
        streaming = live_accounts([])
        run_live(streaming, stop)
    if streaming:
        print(f"  listening live to {', '.join(a.name for a in streaming)}", file=sys.stderr)
    try:
        uvicorn.run(
            "sablier.asgi:application", host=host, port=port, log_level="warning", timeout_graceful_shutdown=2
        )
    finally:
        stop.set()
        embedded.stop()
    return 0
