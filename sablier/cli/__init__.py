"""The `sablier` command: a few lines per sub-command over the actions."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.db.utils import OperationalError, ProgrammingError

from sablier.errors import SablierError


def _setup() -> None:
    # Django must be configured before any model is imported: the commands import inside.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sablier.django_settings")
    import django

    django.setup()


def cmd_migrate(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command

    from sablier.organisation.apply import do_apply_organisation
    from sablier.organisation.config import load_organisation

    call_command("migrate", interactive=False, verbosity=0)
    organisation = do_apply_organisation(load_organisation(settings.SABLIER.organisation_file))
    print(
        f"database ready; organisation {organisation.name!r} ({organisation.operating_model})",
        file=sys.stderr,
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from sablier.connectors.csvimport.formats import count_lines, read_rows
    from sablier.connectors.csvimport.importer import import_rows

    path = Path(args.file)
    if not path.is_file():
        print(f"sablier import: {path} is not a file; give a .jsonl or .csv file", file=sys.stderr)
        return 2
    with tqdm(total=count_lines(path), unit="line", file=sys.stderr, desc=path.name) as bar:
        report = import_rows(read_rows(path), source=f"import:{path.name}", on_row=lambda: bar.update())
    for line, reason in report.rejected:
        print(f"line {line}: rejected: {reason}", file=sys.stderr)
    print(report.summary())
    return 1 if report.rejected and not (report.new or report.duplicate) else 0


def cmd_token(args: argparse.Namespace) -> int:
    from sablier.organisation.tokens import do_create_token_for

    print(do_create_token_for(args.user, label=args.label))
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    from sablier.organisation.people import do_create_user

    password = do_create_user(args.name, args.department, args.password, lead=args.lead)
    print(f"user {args.name} created in {', '.join(args.department)}", file=sys.stderr)
    if not args.password:
        print(password)
    return 0


def cmd_people_import(args: argparse.Namespace) -> int:
    from sablier.people.audience import import_audience

    path = Path(args.file)
    if not path.is_file():
        print(
            f"sablier people import: {path} is not a file; give a CSV with an email column", file=sys.stderr
        )
        return 2
    report = import_audience(path)
    for line, reason in report.rejected:
        print(f"line {line}: rejected: {reason}", file=sys.stderr)
    print(report.summary())
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from sablier.lib.wal import checkpoints_in_background
    from sablier.workers.cycle import run_single_cycle
    from sablier.workers.runner import Worker

    if args.once:
        total = 0
        while moved := run_single_cycle():
            total += moved
        print(f"{total} items processed", file=sys.stderr)
        return 0
    print("worker running; Ctrl-C to stop", file=sys.stderr)
    with checkpoints_in_background():
        Worker().run_forever()
    return 0


def cmd_understand(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.db import DatabaseError

    from sablier.cli.understand import run
    from sablier.learning.bundle import organisation_bundle
    from sablier.understand.bundle import shipped_bundle

    try:
        bundle = organisation_bundle()
    except DatabaseError:
        if args.label_set:
            print(
                "sablier understand: no database yet; run `sablier migrate`, then `sablier learn`",
                file=sys.stderr,
            )
            return 2
        bundle = shipped_bundle()
    shipped = [name for name in args.label_set if name in bundle.heads]
    if shipped:
        print(
            f"sablier understand: {shipped[0]} is in every line already (corrections adjust it)",
            file=sys.stderr,
        )
        return 2
    missing = [name for name in args.label_set if name not in bundle.label_sets]
    if missing:
        print(
            f"sablier understand: label set {missing[0]!r} is not trained; "
            f"run `sablier learn --label-set {missing[0]} --examples FILE.csv`",
            file=sys.stderr,
        )
        return 2
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    languages = settings.SABLIER.languages
    rejected = run(
        sys.stdin, sys.stdout, bundle, languages, args.label_set, args.batch, progress, refine=not args.fast
    )
    return 1 if rejected else 0


def cmd_learn(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from sablier.cli.learn import learn_from_file, learn_what_is_due

    if args.examples:
        if not args.label_set:
            print("sablier learn: --examples needs --label-set NAME", file=sys.stderr)
            return 2
        return learn_from_file(args.label_set, Path(args.examples), replace=args.replace, now=timezone.now())
    return learn_what_is_due(args.label_set, now=timezone.now())


def cmd_connectors(args: argparse.Namespace) -> int:
    from sablier.cli.connectors import COMMANDS

    return COMMANDS[args.action](args)


def cmd_listen(args: argparse.Namespace) -> int:
    import threading

    from sablier.connectors.live import live_accounts, run_live
    from sablier.connectors.registry import load_builtins

    load_builtins()
    accounts = live_accounts(args.name)
    if not accounts:
        print(
            "sablier listen: no streaming connector to follow (mastodon and bluesky stream; "
            "the worker polls the others); add one with `sablier connectors add`",
            file=sys.stderr,
        )
        return 2
    stop = threading.Event()
    threads = run_live(accounts, stop)
    print(f"listening live to {', '.join(a.name for a in accounts)}; Ctrl-C to stop", file=sys.stderr)
    try:
        while any(t.is_alive() for t in threads):
            stop.wait(1.0)
    finally:
        stop.set()
    return 0


def _connectors_parser(sub: Any) -> None:
    connectors = sub.add_parser("connectors", help="the networks the hub listens to and answers on")
    actions = connectors.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="each connector with its health")
    actions.add_parser("kinds", help="the connector kinds and their settings")
    add = actions.add_parser(
        "add", help="add a connector: sablier connectors add KIND NAME --set key=value …"
    )
    add.add_argument("kind")
    add.add_argument("name")
    add.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    for verb in ("test", "pause", "resume"):
        actions.add_parser(verb, help=f"{verb} a connector").add_argument("name")
    connectors.set_defaults(func=cmd_connectors)
    listen = sub.add_parser("listen", help="follow the streaming connectors live (the worker polls the rest)")
    listen.add_argument("name", nargs="*", help="only these connectors (default: every streaming one)")
    listen.set_defaults(func=cmd_listen)


def cmd_simulate(args: argparse.Namespace) -> int:
    from sablier.cli.simulate import run

    return run(args)


def cmd_report(args: argparse.Namespace) -> int:
    from sablier.cli.report import run

    return run(args)


def cmd_run(args: argparse.Namespace) -> int:
    from sablier.lib.wal import checkpoints_in_background
    from sablier.serve import serve

    cmd_migrate(args)
    with checkpoints_in_background():
        return serve(args.host, args.port, demo=not args.no_demo, worker=not args.no_worker)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sablier", description="The social media hourglass.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="migrate, load the demo and serve UI + API with an embedded worker")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--no-demo", action="store_true", help="start without the demo organisation's data")
    run.add_argument(
        "--no-worker",
        action="store_true",
        help="serve only (scale-out: run `sablier worker` apart, with SABLIER_NATS_URL for live screens)",
    )
    run.set_defaults(func=cmd_run)
    sub.add_parser("migrate", help="create or upgrade the database").set_defaults(func=cmd_migrate)
    imp = sub.add_parser("import", help="import mentions from a JSONL or CSV file")
    imp.add_argument("file")
    imp.set_defaults(func=cmd_import)
    token = sub.add_parser("token", help="API tokens").add_subparsers(dest="action", required=True)
    create = token.add_parser("create", help="create a token and print it (only the token)")
    create.add_argument("--user", required=True)
    create.add_argument("--label", default="cli")
    create.set_defaults(func=cmd_token)
    user = sub.add_parser("user", help="people of the organisation").add_subparsers(
        dest="action", required=True
    )
    add_user = user.add_parser("create", help="create a person; prints a generated password")
    add_user.add_argument("name")
    add_user.add_argument("--department", action="append", default=[], help="department slug (repeatable)")
    add_user.add_argument("--password", help="set this password instead of generating one")
    add_user.add_argument("--lead", action="store_true", help="make the person lead of the departments")
    add_user.set_defaults(func=cmd_user)
    people = sub.add_parser("people", help="people and audiences").add_subparsers(
        dest="action", required=True
    )
    audience = people.add_parser("import", help="import a marketing audience CSV (email, <network>_handle…)")
    audience.add_argument("file")
    audience.set_defaults(func=cmd_people_import)
    understand = sub.add_parser("understand", help="read JSON lines {id, text} on stdin, write judgements")
    understand.add_argument("--label-set", action="append", default=[], help="add this trained label set")
    understand.add_argument("--batch", type=int, default=64, help="messages read together (default 64)")
    understand.add_argument(
        "--fast",
        action="store_true",
        help="the routing pass only (skip the second pass on sentiment and complaint)",
    )
    understand.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )
    understand.set_defaults(func=cmd_understand)
    learn = sub.add_parser("learn", help="train label sets from corrections or an examples file")
    learn.add_argument("--label-set", help="the label set to train (default: every one with new examples)")
    learn.add_argument("--examples", help="CSV with columns text and label (or category) to add first")
    learn.add_argument("--replace", action="store_true", help="drop the set's imported examples first")
    learn.set_defaults(func=cmd_learn)
    simulate = sub.add_parser("simulate", help="replay traffic through each operating model, side by side")
    simulate.add_argument("--seed", type=int, default=1, help="same seed, same figures (default 1)")
    simulate.add_argument("--profile", choices=("recorded", "synthetic"), default="recorded")
    simulate.add_argument("--days", type=int, help="recorded: the last D days; synthetic: D days (default 7)")
    simulate.add_argument("--staffing", help="YAML: people, hours, level, hourly_cost per department")
    simulate.add_argument("--models", default="all", help="all, or comma-separated model identifiers")
    simulate.add_argument("--format", choices=("table", "json", "csv"), default="table")
    simulate.set_defaults(func=cmd_simulate)
    report = sub.add_parser("report", help="a period's report: KPIs, objectives, budget, charts")
    report.add_argument("--period", help="2026-10, 2026-W44 or 2026-10-01..2026-10-15 (default: last month)")
    report.add_argument("--lang", choices=("fr", "en"), default="en")
    report.add_argument("--format", choices=("pdf", "html"), default="pdf")
    report.add_argument("--output", help="the file to write (default: sablier-SCOPE-PERIOD-LANG.FORMAT)")
    report.add_argument("--department", help="a department slug (default: the whole organisation)")
    report.set_defaults(func=cmd_report)
    worker = sub.add_parser("worker", help="drain background work (triage, routing)")
    worker.add_argument("--once", action="store_true", help="drain what is pending, then exit")
    worker.set_defaults(func=cmd_worker)
    _connectors_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run" and args.host not in ("127.0.0.1", "localhost", "::1"):
        hosts = os.environ.get("SABLIER_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
        os.environ["SABLIER_ALLOWED_HOSTS"] = f"{hosts},{args.host}"
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        _setup()
        return func(args)
    except SablierError as exc:
        print(f"sablier {args.command}: {exc.message}", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error.field}: {error.message}", file=sys.stderr)
        return 2
    except (OperationalError, ProgrammingError) as exc:
        if "no such table" in str(exc) or "does not exist" in str(exc):
            print(
                f"sablier {args.command}: the database is not ready: run `sablier migrate` first",
                file=sys.stderr,
            )
            return 2
        raise
    except KeyboardInterrupt:
        return 130
