"""`sablier connectors list|add|test|pause|resume`: a few lines each over the connector actions."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import yaml

from sablier.connectors.actions import (
    access_account,
    check_connector,
    do_add_connector,
    do_pause_connector,
    health,
)
from sablier.connectors.base import ConnectorError
from sablier.connectors.models import ConnectorAccount
from sablier.connectors.registry import REGISTRY, load_builtins
from sablier.connectors.webhooks.inbound import INBOUND


def _settings(pairs: list[str]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(
                f"sablier connectors add: --set {pair!r}: write KEY=VALUE (YAML values: lists, numbers)"
            )
        config[key] = yaml.safe_load(value) if value else ""
    return config


def cmd_list(args: argparse.Namespace) -> int:
    load_builtins()
    accounts = list(ConnectorAccount.objects.all())
    if not accounts:
        kinds = ", ".join(sorted(REGISTRY))
        print(f"no connector yet; kinds: {kinds} (sablier connectors add KIND NAME --set key=value …)")
    for account in accounts:
        state = health(account)
        error = f"  last error: {state['last_error']}" if state["status"] == "error" else ""
        print(f"{account.name:20} {account.kind:10} {state['status']:7} fetched {state['fetched']}{error}")
    return 0


def cmd_kinds(args: argparse.Namespace) -> int:
    load_builtins()
    for kind, connector in sorted(REGISTRY.items()):
        print(f"{kind} ({connector.network})")
        for setting in connector.settings:
            need = "required" if setting.required else f"default {setting.default!r}"
            print(f"  {setting.name}: {setting.help} ({need})")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    account = do_add_connector(args.kind, args.name, _settings(args.set))
    if account.kind in INBOUND:
        print(
            f"connector {account.name} ({account.kind}) added; give the network this webhook URL: "
            f"https://YOUR-HOST/api/inbound/{account.name}",
            file=sys.stderr,
        )
        return 0
    print(f"connector {account.name} ({account.kind}) added; the worker polls it now", file=sys.stderr)
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    account = access_account(args.name)
    try:
        page = check_connector(account)
    except ConnectorError as exc:
        kind = "transient" if exc.transient else "permanent"
        print(f"sablier connectors test: {account.name}: {kind} failure: {exc}", file=sys.stderr)
        return 1
    if account.kind in INBOUND:
        last = account.cursor.get("at") or "none yet"
        print(
            f"{account.name}: settings valid; the network pushes to /api/inbound/{account.name}; "
            f"last delivery {last}"
        )
        return 0
    readable = [item for item in page.items if item.mention is not None]
    print(f"{account.name}: connected; one page has {len(page.items)} items, {len(readable)} readable")
    for item in page.items[:5]:
        print(f"  {item.mention.text[:80] if item.mention else 'rejected: ' + item.rejected}")
    if page.failure is not None:
        kind = "transient" if page.failure.transient else "permanent"
        print(
            f"sablier connectors test: {account.name}: part failed ({kind}): {page.failure}", file=sys.stderr
        )
        return 1
    return 0


def cmd_pause(args: argparse.Namespace) -> int:
    account = do_pause_connector(access_account(args.name), paused=args.action == "pause")
    print(f"{account.name}: {'paused' if account.paused else 'resumed'}", file=sys.stderr)
    return 0


COMMANDS = {
    "list": cmd_list,
    "kinds": cmd_kinds,
    "add": cmd_add,
    "test": cmd_test,
    "pause": cmd_pause,
    "resume": cmd_pause,
}
