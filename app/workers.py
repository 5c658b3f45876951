"""Extraction of files in worker processes while the loader writes, results handed back in input order.

Extraction is pure CPU work and the loader's writes mostly wait on the database, so a load uses every core
when a few processes extract while the parent reads files and writes. Each worker has a pipe of its own:
when the loader dies (even by SIGKILL) its end of every pipe closes, each worker reads end-of-file and
exits, so no worker outlives a killed load. A worker that dies on an article costs that article only: it
is rejected with the reason, the worker is replaced and its other articles are sent again.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from app.catalog import Catalog
from app.extract.article import extract_article
from app.extract.text import decode_bytes
from app.extract.types import ExtractedArticle, KnownMeta, RejectedFile

IN_FLIGHT_PER_WORKER = 4  # enough queued that a worker never waits on the parent, few enough to bound memory
# A fresh process imports dateparser and compiles the catalogue (about half a second); below this many files
# extracting in this process is quicker than starting workers.
MIN_FILES_FOR_WORKERS = 40
# Workers are forked from a clean server process, never from the loader itself: the loader may hold threads
# (a web server's, a test's) whose locks a plain fork would copy mid-use.
START_METHOD = "forkserver"
PRELOADED_MODULES = ["app.workers"]  # imported once in the fork server, so each worker starts warm


@dataclass(frozen=True)
class Job:
    data: bytes
    source: str
    known: KnownMeta | None


Outcome = ExtractedArticle | RejectedFile


def extract_file(job: Job, catalog: Catalog) -> Outcome:
    """The article in the file's bytes, or why it cannot be loaded: never raises for a bad file."""
    try:
        raw = decode_bytes(job.data)
        return extract_article(raw, source=job.source, catalog=catalog, known=job.known)
    except RejectedFile as exc:
        return exc
    except Exception as exc:  # one article that trips extraction must not stop the others loading
        return RejectedFile(f"extraction failed: {type(exc).__name__}: {exc}")


def worker_count(files: int, jobs: int | None) -> int:
    """How many extraction processes a load of this many files uses: 0 means in the loader's own process."""
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        if files < MIN_FILES_FOR_WORKERS:
            return 0
    return max(0, jobs)


@dataclass
class Ticket:
    """A submitted job; its outcome arrives later, in submission order."""

    job: Job
    worker: int = -1  # -1: extracted at once in this process
    outcome: Outcome | None = None


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    waiting: deque[Ticket] = field(default_factory=deque)  # sent, not yet answered, oldest first


class ExtractionPool:
    """submit() files, then result() each ticket in the order submitted. With no workers, submit extracts."""

    def __init__(self, catalog: Catalog, processes: int) -> None:
        self.catalog = catalog
        self.processes = processes
        self._workers: list[_Worker] = []
        self._next = 0  # round robin: with results taken in order, each worker answers in order too

    @property
    def window(self) -> int:
        """How many submitted jobs may wait for their results."""
        return self.processes * IN_FLIGHT_PER_WORKER

    def __enter__(self) -> ExtractionPool:
        if self.processes:
            context = multiprocessing.get_context(START_METHOD)
            context.set_forkserver_preload(PRELOADED_MODULES)
            self._context = context
            self._workers = [self._start() for _ in range(self.processes)]
        return self

    def __exit__(self, *exc_info: object) -> None:
        for worker in self._workers:
            worker.connection.close()  # the worker reads end-of-file and exits
        for worker in self._workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
        self._workers = []

    def submit(self, job: Job) -> Ticket:
        ticket = Ticket(job)
        if not self._workers:
            ticket.outcome = extract_file(job, self.catalog)
            return ticket
        ticket.worker = self._next
        self._next = (self._next + 1) % len(self._workers)
        self._send(self._workers[ticket.worker], ticket)
        return ticket

    def result(self, ticket: Ticket) -> Outcome:
        while ticket.outcome is None:
            worker = self._workers[ticket.worker]
            try:
                worker.waiting[0].outcome = worker.connection.recv()
                worker.waiting.popleft()
            except (EOFError, OSError):
                self._replace(ticket.worker)
        return ticket.outcome

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(theirs, self.catalog), daemon=True,
                                        name="timeline-extract")
        process.start()
        theirs.close()  # only the worker holds its end now, so its death reads as end-of-file here
        return _Worker(process, ours)

    def _send(self, worker: _Worker, ticket: Ticket) -> None:
        worker.waiting.append(ticket)
        with contextlib.suppress(OSError):  # the worker died: result() finds out and sends the job again
            worker.connection.send(ticket.job)

    def _replace(self, index: int) -> None:
        """The worker died: its oldest job killed it and is rejected; the rest go to a new worker."""
        dead = self._workers[index]
        dead.process.join()
        dead.connection.close()
        culprit = dead.waiting.popleft()
        culprit.outcome = RejectedFile(f"extraction stopped its process (exit code {dead.process.exitcode})")
        fresh = self._start()
        self._workers[index] = fresh
        for ticket in dead.waiting:
            self._send(fresh, ticket)


def _serve(connection: Connection, catalog: Catalog) -> None:
    """A worker's life: extract each job it is sent until the loader closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the loader's to handle; it then closes the pipe
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send(extract_file(job, catalog))
        except OSError:  # the loader has gone
            return
