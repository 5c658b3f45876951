"""Extraction of files in worker processes while the loader writes, results handed back in input order.

Extraction is pure CPU work and the loader's writes mostly wait on the database, so a load uses every core
when a few processes extract while the loader reads files and writes. Each worker is a fresh interpreter
(`python -m app.workers`), never a fork of the loader: it inherits no threads, locks or connections, and
works the same whatever script called the loader. Jobs and outcomes travel as length-prefixed pickles over
the worker's stdin and stdout. When the loader dies, even by SIGKILL, the worker reads end-of-file and
exits, so no worker outlives a killed load. A worker that dies on an article costs that article only: it is
rejected with the reason, the worker is replaced and its other articles are sent again.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from app.catalog import Catalog
from app.config import usable_cores
from app.extract.article import extract_article
from app.extract.text import decode_bytes
from app.extract.types import ExtractedArticle, KnownMeta, RejectedFile

IN_FLIGHT_PER_WORKER = 4  # enough queued that a worker never waits on the loader, few enough to bound memory
# A fresh interpreter takes a few tenths of a second to start and warm up; below this many files,
# extracting in the loader's own process is quicker.
MIN_FILES_FOR_WORKERS = 40
PROJECT_ROOT = Path(__file__).resolve().parent.parent  # so the worker imports this very code
FRAME_HEADER = struct.Struct("!Q")  # the pickle's length
STOP = None  # to a sender: close the worker's input, and the worker exits


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
        if files < MIN_FILES_FOR_WORKERS:
            return 0
        jobs = usable_cores()
    return max(0, jobs)


@dataclass
class Ticket:
    """A submitted job; its outcome arrives later, in submission order."""

    job: Job
    worker: int = -1  # -1: extracted at once in this process
    outcome: Outcome | None = None


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    outbox: queue.SimpleQueue[object]  # what the sender thread writes to the worker, in order
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
        self._workers = [self._start() for _ in range(self.processes)]
        return self

    def __exit__(self, *exc_info: object) -> None:
        for worker in self._workers:
            worker.outbox.put(STOP)
        for worker in self._workers:
            try:
                worker.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
            worker.process.stdout.close()  # type: ignore[union-attr]
        self._workers = []

    def submit(self, job: Job) -> Ticket:
        ticket = Ticket(job)
        if not self._workers:
            ticket.outcome = extract_file(job, self.catalog)
            return ticket
        ticket.worker = self._next
        self._next = (self._next + 1) % len(self._workers)
        worker = self._workers[ticket.worker]
        worker.waiting.append(ticket)
        worker.outbox.put(job)
        return ticket

    def result(self, ticket: Ticket) -> Outcome:
        while ticket.outcome is None:
            worker = self._workers[ticket.worker]
            outcome = read_frame(worker.process.stdout)  # type: ignore[arg-type]
            if outcome is None:  # end of file: the worker died
                self._replace(ticket.worker)
            else:
                worker.waiting.popleft().outcome = outcome
        return ticket.outcome

    def _start(self) -> _Worker:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT),
                                                                          os.environ.get("PYTHONPATH")]))}
        process = subprocess.Popen([sys.executable, "-m", "app.workers"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, env=env)
        outbox: queue.SimpleQueue[object] = queue.SimpleQueue()
        # Writing from a thread of its own: a big job can fill the pipe while the worker is itself blocked
        # writing an outcome, and this process must still be free to read it.
        threading.Thread(target=_send_all, args=(process.stdin, outbox), daemon=True,
                         name="timeline-extract-sender").start()
        outbox.put(self.catalog)
        return _Worker(process, outbox)

    def _replace(self, index: int) -> None:
        """The worker died: its oldest job killed it and is rejected; the rest go to a new worker."""
        dead = self._workers[index]
        code = dead.process.wait()
        dead.outbox.put(STOP)
        dead.process.stdout.close()  # type: ignore[union-attr]
        culprit = dead.waiting.popleft()
        culprit.outcome = RejectedFile(f"extraction stopped its process (exit code {code})")
        fresh = self._start()
        self._workers[index] = fresh
        for ticket in dead.waiting:
            fresh.waiting.append(ticket)
            fresh.outbox.put(ticket.job)


def write_frame(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(FRAME_HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> object | None:
    """The next value, or None at end of file."""
    header = stream.read(FRAME_HEADER.size)
    if len(header) < FRAME_HEADER.size:
        return None
    (size,) = FRAME_HEADER.unpack(header)
    data = stream.read(size)
    return pickle.loads(data) if len(data) == size else None


def _send_all(stream: IO[bytes], outbox: queue.SimpleQueue[object]) -> None:
    with contextlib.suppress(OSError):  # the worker died: result() finds out from its output
        while (value := outbox.get()) is not STOP:
            write_frame(stream, value)
    with contextlib.suppress(OSError):
        stream.close()


def main() -> None:
    """A worker's life: read the catalogue, then extract each job until the loader closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the loader's to handle; it then closes the pipe
    source = sys.stdin.buffer
    results = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt the outcomes
    catalog = read_frame(source)
    assert isinstance(catalog, Catalog)
    while (job := read_frame(source)) is not None:
        assert isinstance(job, Job)
        try:
            write_frame(results, extract_file(job, catalog))
        except OSError:  # the loader has gone
            return


if __name__ == "__main__":
    # Run as app.workers, not as __main__: the Job and Catalog classes the loader pickles live there.
    from app import workers

    workers.main()
