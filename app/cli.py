"""The `timeline` command: a thin layer over migrations, the loader, the export and the web app."""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

from sqlalchemy import Engine, inspect, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.config import Settings, settings_from_env
from app.extract.catalog import Catalog
from app.queries.export import EXPORT_FORMATS, export_text
from app.store.engine import make_engine, migrate
from app.store.loader import FileResult, LoadSummary, has_articles, load_paths, shown
from app.store.seedfiles import load_catalog
from app.store.workers import MIN_FILES_FOR_WORKERS

EXIT_OK = 0
EXIT_FAILED = 1  # something went wrong at run time, or a file was rejected
EXIT_USAGE = 2  # the command line itself is wrong (argparse uses 2 as well)
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl-C
WEB_APP_FACTORY = "app.web.app:create_app"  # uvicorn imports this in every worker
DISTRIBUTION = "ceasefire-timeline"  # the project's name in pyproject.toml, under which pip records its version
HIGHEST_PORT = 65535


class CliError(Exception):
    """A failure shown to the user as one line; exit_status says which kind."""

    def __init__(self, message: str, exit_status: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_status = exit_status


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from_env(database_url=getattr(args, "db", None))
    except ValueError as exc:  # a malformed TIMELINE_* variable
        return _fail(str(exc), EXIT_USAGE)
    try:
        return args.handler(args, settings)
    except CliError as exc:
        return _fail(str(exc), exc.exit_status)
    except (ArgumentError, NoSuchModuleError) as exc:
        return _fail(f"bad database URL: {_one_line(exc)}", EXIT_USAGE)
    except SQLAlchemyError as exc:
        return _fail(f"database error: {_one_line(getattr(exc, 'orig', None) or exc)}", EXIT_FAILED)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_INTERRUPTED)


# -- the parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    # --db is accepted before or after the subcommand; SUPPRESS keeps a later default from hiding it.
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                    help="database URL (default: $TIMELINE_DATABASE_URL, else sqlite:///timeline.db)")
    parser = argparse.ArgumentParser(
        prog="timeline", parents=[db],
        description="A day-by-day timeline of the September 2016 Syria ceasefire, read out of news articles.",
    )
    parser.add_argument("--version", action="version", version=f"timeline {installed_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    load = _command(commands, "load", "load article files or folders (idempotent)", run_load, db)
    load.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a file or a folder to walk")
    load.add_argument("--jobs", type=_non_negative, metavar="N",
                      help="extraction processes (default: one per core when there are "
                           f"{MIN_FILES_FOR_WORKERS} files or more; "
                           "0: extract in this process)")
    load.add_argument("--follow-links", action="store_true",
                      help="also follow symbolic links that lead out of the folders given (off: reported, skipped)")

    export = _command(commands, "export", "export articles and reports", run_export, db)
    export.add_argument("--format", choices=EXPORT_FORMATS, default="json", help="json (default) or csv")
    export.add_argument("--output", type=Path, metavar="FILE", help="write here instead of stdout")

    _command(commands, "migrate", "create or upgrade the database schema", run_migrate, db)

    serve = _command(commands, "serve", "migrate, load the seeds if empty, serve the dashboard",
                     run_serve, db)
    serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help=f"port, 1 to {HIGHEST_PORT} (default 8000)")
    serve.add_argument("--workers", type=_positive, default=1, help="worker processes (default 1)")
    serve.add_argument("--access-log", action="store_true",
                       help="log a line per request (off by default: it costs throughput)")
    return parser


def installed_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def _port(text: str) -> int:
    # 0 is refused rather than taken as "any free port": the server's address would then be known only from
    # its log, and a typo such as 99999 must not start a server somewhere unexpected.
    value = _whole_number(text)
    if not 1 <= value <= HIGHEST_PORT:
        raise argparse.ArgumentTypeError(f"must be a port from 1 to {HIGHEST_PORT}, not {value}")
    return value


def _positive(text: str) -> int:
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def _non_negative(text: str) -> int:
    value = _whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _command(commands, name: str, help_text: str, handler: Callable[..., int],
             db: argparse.ArgumentParser) -> argparse.ArgumentParser:
    sub = commands.add_parser(name, help=help_text, description=help_text, parents=[db])
    sub.set_defaults(handler=handler)
    return sub


# -- the commands --------------------------------------------------------------------------------


def run_migrate(args: argparse.Namespace, settings: Settings) -> int:
    migrate(_engine(settings))
    print(f"database is up to date: {_safe_url(settings)}")
    return EXIT_OK


def run_load(args: argparse.Namespace, settings: Settings) -> int:
    missing = [shown(str(p)) for p in args.paths if not p.exists()]
    if missing:
        raise CliError(f"no such file or folder: {', '.join(missing)}", EXIT_USAGE)
    engine = _engine(settings)
    migrate(engine)
    summary = load_paths(engine, args.paths, catalog=_catalog(settings), progress=_print_progress, jobs=args.jobs,
                         follow_links=args.follow_links)
    print(summary_line(summary))
    _check_finished(summary)
    return EXIT_FAILED if summary.rejected else EXIT_OK


def _check_finished(summary: LoadSummary) -> None:
    """A load that ran out of room says so last, once its summary has counted what it stored."""
    if summary.stopped:
        raise CliError(f"out of space, the load stopped: {summary.stopped}; what is reported above is stored, "
                       "run the same command again once there is room")


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    engine = _existing_database(settings)
    with Session(engine) as session:
        text = export_text(session, args.format)
    if args.output is None:
        try:
            sys.stdout.buffer.write(text.encode("utf-8"))
            sys.stdout.flush()
        except OSError as exc:  # a full disk, or a closed pipe (`| head`)
            _quiet_stdout()
            raise CliError(f"cannot write the export: {exc.strerror or exc}") from exc
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    return EXIT_OK


def _quiet_stdout() -> None:
    """Point stdout at the null device so the interpreter's flush at exit cannot fail a second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn  # only serve needs it; keeps the other commands quick to start

    if importlib.util.find_spec(WEB_APP_FACTORY.split(":")[0]) is None:
        raise CliError(f"the dashboard module is missing: cannot import {WEB_APP_FACTORY}")
    engine = _engine(settings)
    migrate(engine)
    if not has_articles(engine):
        print(f"empty database: loading {settings.seeds_dir}", file=sys.stderr)
        summary = load_paths(engine, [settings.seeds_dir], catalog=_catalog(settings),
                             progress=_print_progress)
        print(summary_line(summary), file=sys.stderr)
        _check_finished(summary)
    engine.dispose()
    # Workers are fresh processes: they read the database URL from the environment via get_settings().
    os.environ["TIMELINE_DATABASE_URL"] = settings.database_url
    uvicorn.run(WEB_APP_FACTORY, factory=True, host=args.host, port=args.port, workers=args.workers,
                access_log=args.access_log)
    return EXIT_OK


# -- helpers -------------------------------------------------------------------------------------


def summary_line(summary: LoadSummary) -> str:
    return (
        f"{summary.articles} articles ({summary.loaded} new, {summary.replaced} replaced, "
        f"{summary.unchanged} unchanged, {len(summary.duplicates)} duplicate), "
        f"{summary.reports} reports, {summary.dated} dated, {summary.undated} undated, "
        f"{len(summary.rejected)} rejected"
    )


def _print_progress(result: FileResult) -> None:
    print(result.describe(), file=sys.stderr, flush=True)


def _engine(settings: Settings) -> Engine:
    return make_engine(settings.database_url)


def _existing_database(settings: Settings) -> Engine:
    """A read-only engine on a database that already has the schema; exporting never creates one."""
    engine = make_engine(settings.database_url, read_only=True)
    database = engine.url.database
    if engine.url.get_backend_name() == "sqlite" and database and not Path(database).exists():
        raise CliError(f"no database at {database}: run `timeline load PATH` first")
    if not inspect(engine).has_table("article"):
        raise CliError(f"database {_safe_url(settings)} has no timeline tables: run `timeline migrate`")
    return engine


def _catalog(settings: Settings) -> Catalog:
    try:
        return load_catalog(settings.seeds_dir)
    except (OSError, ValueError, KeyError) as exc:
        raise CliError(f"cannot read the catalogue in {settings.seeds_dir}: {_one_line(exc)}") from exc


def _safe_url(settings: Settings) -> str:
    """The URL without its password, fit to print."""
    return make_url(settings.database_url).render_as_string(hide_password=True)


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _fail(message: str, status: int) -> int:
    print(f"timeline: error: {message}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
