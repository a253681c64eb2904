"""Command line: ``python -m geo sample|build|load|report|backtest|users``.

Errors a user can cause, and failures to write (disk full, a read-only or unwritable folder),
print one sentence and exit with status 2 (``--debug`` shows the traceback); progress goes to
stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from pathlib import Path

from geo import __version__
from geo.errors import InputFileError, PantauZonaError
from geo.vocab import EXPORT_FORMATS

CUMULATIVE_HELP = (
    "the cases file holds running totals per place and date (count, total_cases or "
    "cumulative_cases), turned into new cases per day"
)

CODES_HELP = "the edition of the cases' region codes (default: detected, see the manifest)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description="PantauZona zone pipeline.")
    parser.add_argument("--version", action="version", version=f"pantauzona {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)
    sample = sub.add_parser("sample", help="write the deterministic sample inputs")
    sample.add_argument("--out", required=True, type=Path, help="folder for the sample files")
    build = sub.add_parser("build", help="build zone tables from cases, check-ins and venues")
    build.add_argument("--cases", required=True, type=Path)
    build.add_argument("--checkins", type=Path)
    build.add_argument("--venues", type=Path)
    build.add_argument("--out", required=True, type=Path, help="the build directory")
    build.add_argument("--cases-cumulative", action="store_true", help=CUMULATIVE_HELP)
    build.add_argument("--codes", choices=["2020", "2025"], help=CODES_HELP)
    group = build.add_mutually_exclusive_group()
    group.add_argument("--config", type=Path, help="a risk configuration TOML file")
    group.add_argument("--preset", help="a shipped preset: pantauzona, ppkm, ppkm_mikro, hghi")
    load = sub.add_parser("load", help="add files to an inputs store; optionally rebuild from it")
    load.add_argument("--inputs", required=True, type=Path, help="the inputs store folder")
    load.add_argument("--venues", type=Path)
    load.add_argument("--checkins", type=Path)
    load.add_argument("--cases", type=Path)
    load.add_argument("--cases-cumulative", action="store_true", help=CUMULATIVE_HELP)
    load.add_argument("--codes", choices=["2020", "2025"], help=CODES_HELP)
    load.add_argument("--region", help="keep only rows inside this region code")
    load.add_argument("--rebuild", type=Path, metavar="BUILD", help="then rebuild BUILD")
    for command in (build, load):
        _engine_arguments(command)
    report = sub.add_parser("report", help="export a zone report for a region and a period")
    report.add_argument("--build", required=True, type=Path, help="the build directory")
    report.add_argument("--region", required=True, help="Kemendagri 2025 region code")
    report.add_argument("--from", dest="date_from", required=True, type=_date)
    report.add_argument("--to", dest="date_to", required=True, type=_date)
    report.add_argument("--format", required=True, choices=list(EXPORT_FORMATS))
    report.add_argument("--audience", default="public", choices=["public", "official"])
    report.add_argument("--lang", default="id", choices=["id", "en"])
    report.add_argument("--resolution", type=int, help="H3 resolution (default: the map's)")
    report.add_argument("--out", required=True, type=Path, help="the file to write")
    sub.add_parser(
        "backtest",
        help="the outlook's one-week-ahead backtest on the shipped province series",
    )
    _users_parser(sub)
    return parser


def _engine_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--engine",
        default="local",
        choices=["local", "dask"],
        help="where the cell rows are computed: this process, or a Dask cluster",
    )
    command.add_argument(
        "--scheduler", metavar="ADDRESS", help="a running Dask scheduler, e.g. tcp://host:8786"
    )
    command.add_argument(
        "--workers", type=int, help="workers of the local Dask cluster (default: one per core)"
    )


def _users_parser(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser(
        "users",
        help="officials' accounts in $PANTAUZONA_USERS (default instance/users.json)",
    )
    action = users.add_subparsers(dest="users_command", required=True)
    add = action.add_parser("add", help="create an account (the password is asked twice)")
    add.add_argument("name")
    add.add_argument(
        "--region",
        required=True,
        help="a province or kabupaten/kota code (e.g. 32, 32.73), or ID for the whole country",
    )
    passwd = action.add_parser("passwd", help="change an account's password")
    passwd.add_argument("name")
    for command in (add, passwd):
        command.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input (for scripts)",
        )
    remove = action.add_parser("remove", help="delete an account")
    remove.add_argument("name")
    action.add_parser("list", help="show the accounts")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"not a date (YYYY-MM-DD): {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _report(args: argparse.Namespace) -> None:
    import os

    from geo.buildread import open_build
    from geo.errors import BuildError
    from geo.exports import export
    from geo.reports import zone_report
    from geo.store import write_failure

    build = open_build(args.build)
    report = zone_report(
        build,
        args.region,
        args.date_from,
        args.date_to,
        resolution=args.resolution,
        audience=args.audience,
        lang=args.lang,
    )
    data = export(report, args.format)
    tmp = args.out.with_name(f".{args.out.name}.tmp{os.getpid()}")
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(args.out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BuildError(write_failure(exc, args.out)) from exc
    print(
        f"wrote {args.out} ({len(data):,} bytes): {report.region_name}, {len(report.latest):,} zones"
    )


def _sample(args: argparse.Namespace) -> None:
    from geo.sample import write_sample

    summary = write_sample(args.out)
    print(
        f"wrote {summary['cases']['rows']:,} cases (+{summary['cases']['broken_rows']} broken rows), "
        f"{summary['checkins']['rows']:,} check-ins and {summary['venues']:,} venues to {args.out}"
    )


def _build(args: argparse.Namespace) -> None:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from geo.build import build
    from geo.config import load_config

    config = load_config(args.config, preset=args.preset)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=None,
        transient=False,
        disable=not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("building", total=1)

        def on_step(name: str, number: int, total: int) -> None:
            progress.update(task, description=name, completed=number - 1, total=total)
            if not sys.stderr.isatty():
                print(f"[{number}/{total}] {name}", file=sys.stderr, flush=True)

        manifest = build(
            args.cases,
            args.checkins,
            args.venues,
            args.out,
            config=config,
            on_step=on_step,
            cases_cumulative=args.cases_cumulative,
            codes=args.codes,
            engine=args.engine,
            scheduler=args.scheduler,
            workers=args.workers,
        )
        progress.update(task, description="done", completed=progress.tasks[0].total)
    for name, counts in manifest["inputs"].items():
        print(
            f"{name}: read {counts['read']:,}, accepted {counts['accepted']:,}, "
            f"quarantined {counts['quarantined']:,}"
        )
    first, last = manifest["date_range"]
    print(
        f"build {args.out}: preset {manifest['preset']}, {first} to {last}, "
        f"{manifest['tables']['cells_daily']:,} cell-days, "
        f"{manifest['tables']['regions_daily']:,} region-days"
    )
    cases = manifest["inputs"].get("cases", {})
    if "codes" in cases:
        print(codes_line(cases["codes"]))
    if "cumulative" in cases:
        made = cases["cumulative"]
        print(
            f"cases: running totals of {made['places']:,} places turned into {made['days']:,} "
            f"place-days, {made['corrections']:,} correction{'s' * (made['corrections'] != 1)} "
            "(corrections.csv)"
        )
    for note in (reuse_note(manifest), complete_note(manifest)):
        if note:
            print(note)


def reuse_note(manifest: dict) -> str | None:
    """What the build copied from the previous one (:mod:`geo.incremental`), if anything."""
    reuse = manifest["reuse"]
    if reuse["copied_days"] is None:
        return None
    first, last = reuse["copied_days"]
    return (
        f"copied the cell rows of {first} to {last} from the previous build "
        f"({reuse['reason']}); computed the days after"
    )


def codes_line(codes: dict) -> str:
    """The line saying a cases file's edition of region codes and how it was known."""
    return f"cases: region codes of the {codes['edition']} edition ({codes['how']})"


def complete_note(manifest: dict) -> str | None:
    """A line when the build's last day is incomplete (:mod:`geo.completeness`), else ``None``."""
    last = manifest["date_range"][1]
    complete = manifest.get("latest_complete_day", last)
    if complete == last:
        return None
    if complete is None:
        return f"no day is complete: views open on the last day, {last}"
    return f"days after {complete} are incomplete: views open on {complete}"


def _password(from_stdin: bool) -> str:
    """The new password: the first line of stdin, or typed twice at a hidden prompt."""
    from geo.accounts import check_password
    from geo.errors import AccountError

    if from_stdin:
        line = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
        if not line:
            msg = "No password on standard input; give it as the first line."
            raise AccountError(msg)
        return check_password(line)
    import getpass

    try:
        first = check_password(getpass.getpass("Password: "))
        second = getpass.getpass("Repeat the password: ")
    except EOFError:
        msg = "No password was typed; nothing was changed."
        raise AccountError(msg) from None
    if first != second:
        msg = "The two passwords differ; nothing was changed."
        raise AccountError(msg)
    return first


def _users(args: argparse.Namespace) -> None:
    from geo import accounts, reference
    from geo.errors import AccountError

    path = accounts.users_path()
    if args.users_command == "list":
        rows = accounts.list_accounts()
        if not rows:
            print(
                f"no accounts in {path}; create one with: python -m geo users add NAME --region CODE"
            )
            return
        names = reference.regions()["name"]
        print(f"{'NAME':<20} {'REGION':<8} {'REGION NAME':<36} CREATED")
        for account in rows:
            code = account.region or accounts.WHOLE_COUNTRY
            label = names.get(account.region, "?") if account.region else "Indonesia"
            created = account.created.strftime("%Y-%m-%d %H:%M UTC")
            print(f"{account.name:<20} {code:<8} {label:<36} {created}")
        return
    if args.users_command == "remove":
        account = accounts.remove_account(args.name, path=path)
        print(f"removed {account.name} from {path}; their open sessions end at once")
        return
    # Refuse a bad name or region, a taken or a missing name, before asking for a password.
    known = {account.name for account in accounts.list_accounts(path=path)}
    name = accounts.check_name(args.name)
    if args.users_command == "add":
        accounts.check_region(args.region)
        if name in known:
            msg = (
                f"An account named {name!r} already exists; remove it first or change its password."
            )
            raise AccountError(msg)
        account = accounts.add_account(
            args.name, _password(args.password_stdin), args.region, path=path
        )
        region = account.region or accounts.WHOLE_COUNTRY
        print(f"added {account.name} (region {region}) to {path}")
        return
    if name not in known:
        msg = f"There is no account named {name!r}."
        raise AccountError(msg)
    account = accounts.set_password(args.name, _password(args.password_stdin), path=path)
    print(f"changed the password of {account.name}; their open sessions end at once")


def _load(args: argparse.Namespace) -> None:
    import math

    from geo.uploads import KINDS, InputStore

    store = InputStore(args.inputs)
    for kind in KINDS:  # venues before the check-ins that need them
        path = getattr(args, kind)
        if path is None:
            continue
        if not path.is_file():
            msg = f"The {kind} file {path} does not exist."
            raise InputFileError(msg)
        report = store.add(
            kind,
            path.name,
            path,  # read where it is, a check-ins file in batches
            scope=args.region,
            max_mb=math.inf,
            cumulative=kind == "cases" and args.cases_cumulative,
            codes=args.codes if kind == "cases" else None,
        )
        note = " (already loaded)" if report.already_loaded else ""
        print(
            f"{kind} {report.name}: read {report.read:,}, accepted {report.accepted:,}, "
            f"quarantined {report.quarantined:,}{note}"
        )
        if report.codes:
            print(codes_line(report.codes))
    if args.rebuild is not None:
        manifest = store.rebuild(
            args.rebuild, engine=args.engine, scheduler=args.scheduler, workers=args.workers
        )
        first, last = manifest["date_range"]
        files = len(store.loads())
        print(f"build {args.rebuild}: {first} to {last} from {files} file{'s' * (files != 1)}")
        reused = reuse_note(manifest)
        if reused:
            print(reused)


def _backtest() -> None:
    from geo import backtest

    result = backtest.province_backtest()
    print(backtest.markdown(result))
    verdict = "beats" if backtest.beats_persistence(result) else "does not beat"
    print(f"\nThe outlook {verdict} persistence at province level.")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        if args.command == "sample":
            _sample(args)
        elif args.command == "build":
            _build(args)
        elif args.command == "load":
            _load(args)
        elif args.command == "report":
            _report(args)
        elif args.command == "backtest":
            _backtest()
        elif args.command == "users":
            _users(args)
    except PantauZonaError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. writing the sample or an inputs store: say what and why
        if args.debug:
            raise
        from geo.store import write_failure

        print(f"error: {write_failure(exc, exc.filename or 'a file')}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        done = "the previous build is unchanged" if args.command == "build" else "nothing changed"
        print(f"interrupted; {done}", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
