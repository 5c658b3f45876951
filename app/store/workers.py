"""Extraction of files in worker processes while the loader writes, results handed back in input order.

Extraction is pure CPU work and the loader's writes mostly wait on the database, so a load uses every core
when a few processes extract while the loader reads files and writes. Each worker is a fresh interpreter
(`python -m app.store.workers`), never a fork of the loader: it inherits no threads, locks or connections, and
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
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO

from app.config import extract_timeout, usable_cores
from app.extract.article import extract_article
from app.extract.catalog import Catalog
from app.extract.text import decode_bytes
from app.extract.types import ExtractedArticle, KnownMeta, RejectedFile

IN_FLIGHT_PER_WORKER = 4  # enough queued that a worker never waits on the loader, few enough to bound memory
# A fresh interpreter takes a few tenths of a second to start and warm up; below this many files,
# extracting in the loader's own process is quicker.
MIN_FILES_FOR_WORKERS = 40
# The folder the app package is imported from (the checkout, or site-packages once installed): the worker
# imports this very code, whatever its working folder.
CODE_ROOT = Path(__file__).resolve().parent.parent
FRAME_HEADER = struct.Struct("!Q")  # the pickle's length
STOP = None  # to a sender: close the worker's input, and the worker exits
# A fresh worker's start (interpreter, imports, catalogue) is not its first article's time: until it says
# READY its first article gets this much longer.
WORKER_START_S = 30.0
READY = "ready"  # from a worker: started, the catalogue read; its clock starts now


def too_slow(seconds: float) -> RejectedFile:
    return RejectedFile(f"took longer than {seconds:g} s to extract")


@dataclass(frozen=True)
class Job:
    data: bytes
    source: str
    known: KnownMeta | None


Outcome = ExtractedArticle | RejectedFile
# A few dated sentences a new worker extracts before it says READY (see main).
WARM_UP = Job(b"GENEVA, Sept 10 (Reuters) - The truce takes effect on Monday at sundown, officials said on Saturday.",
              "warm-up.txt", None)


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
    busy_since: float = 0.0  # time.monotonic() when it could start on its oldest waiting job
    ready: bool = False  # it has said READY


class ExtractionPool:
    """submit() files, then result() each ticket in the order submitted. With no workers, submit extracts."""

    def __init__(self, catalog: Catalog, processes: int, timeout: float | None = None) -> None:
        self.catalog = catalog
        self.processes = processes
        self.timeout = extract_timeout() if timeout is None else timeout
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
            ticket.outcome = extract_in_process(job, self.catalog, self.timeout)
            return ticket
        ticket.worker = self._next
        self._next = (self._next + 1) % len(self._workers)
        worker = self._workers[ticket.worker]
        if not worker.waiting:
            worker.busy_since = time.monotonic()
        worker.waiting.append(ticket)
        worker.outbox.put(job)
        return ticket

    def result(self, ticket: Ticket) -> Outcome:
        while ticket.outcome is None:
            worker = self._workers[ticket.worker]
            # The clock of the worker's oldest job runs from when it could start on it: when it was sent to an
            # idle worker, or when the job before it was answered.
            left = (worker.busy_since + self.timeout + (0.0 if worker.ready else WORKER_START_S)
                    - time.monotonic())
            if not _readable(worker.process.stdout, left):  # type: ignore[arg-type]
                worker.process.kill()
                self._replace(ticket.worker, too_slow(self.timeout))
                continue
            outcome = read_frame(worker.process.stdout)  # type: ignore[arg-type]
            if outcome is None:  # end of file: the worker died
                self._replace(ticket.worker)
            elif outcome == READY:
                worker.ready, worker.busy_since = True, time.monotonic()
            else:
                worker.waiting.popleft().outcome = outcome
                worker.busy_since = time.monotonic()
        return ticket.outcome

    def _start(self) -> _Worker:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(CODE_ROOT),
                                                                       os.environ.get("PYTHONPATH")]))}
        # Unbuffered, so that a frame waiting in the pipe is what select() sees: nothing hides in a buffer.
        process = subprocess.Popen([sys.executable, "-m", "app.store.workers"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, env=env, bufsize=0)
        outbox: queue.SimpleQueue[object] = queue.SimpleQueue()
        # Writing from a thread of its own: a big job can fill the pipe while the worker is itself blocked
        # writing an outcome, and this process must still be free to read it.
        threading.Thread(target=_send_all, args=(process.stdin, outbox), daemon=True,
                         name="timeline-extract-sender").start()
        outbox.put(self.catalog)
        return _Worker(process, outbox)

    def _replace(self, index: int, reason: RejectedFile | None = None) -> None:
        """The worker died (or was killed): its oldest job is rejected; the rest go to a new worker."""
        dead = self._workers[index]
        code = dead.process.wait()
        dead.outbox.put(STOP)
        dead.process.stdout.close()  # type: ignore[union-attr]
        culprit = dead.waiting.popleft()
        culprit.outcome = reason or RejectedFile(f"extraction stopped its process (exit code {code})")
        fresh = self._start()
        self._workers[index] = fresh
        fresh.busy_since = time.monotonic()
        for ticket in dead.waiting:
            fresh.waiting.append(ticket)
            fresh.outbox.put(ticket.job)


def _readable(stream: IO[bytes], seconds: float) -> bool:
    """Whether the worker's output has something to read (an outcome, or end of file) within seconds."""
    ready, _, _ = select.select([stream], [], [], max(0.0, seconds))
    return bool(ready)


class _Expired(BaseException):  # not an Exception: extract_file must not catch it as a failure
    """Raised by the alarm in the loader's own process when an article takes too long."""


# After the first alarm it rings again this often, until it rings in the project's own code.
ALARM_REPEAT_S = 0.25


# The project's own code, where the alarm raises: raised in a library's code, it may land in a finalizer, a gc or
# weakref callback, where Python reports the exception as "ignored" and drops it, or in a bare "except:".
OWN_CODE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "")


def _in_own_code(frame: FrameType | None) -> bool:
    return frame is not None and frame.f_code.co_filename.startswith(OWN_CODE)


def extract_in_process(job: Job, catalog: Catalog, timeout: float) -> Outcome:
    """extract_file in this process, stopped by an alarm after timeout seconds where signals allow one (the
    main thread of a Unix process); the alarm interrupts Python code, a single regex runs to its end."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return extract_file(job, catalog)
    running = True

    def expire(signum: int, frame: FrameType | None) -> None:
        if running and _in_own_code(frame):  # elsewhere, it rings again shortly, once that code has returned
            raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout, ALARM_REPEAT_S)
    try:
        return extract_file(job, catalog)
    except _Expired:
        return too_slow(timeout)
    finally:
        running = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def write_frame(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(FRAME_HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> object | None:
    """The next value, or None at end of file."""
    header = _read_exactly(stream, FRAME_HEADER.size)
    if len(header) < FRAME_HEADER.size:
        return None
    (size,) = FRAME_HEADER.unpack(header)
    data = _read_exactly(stream, size)
    return pickle.loads(data) if len(data) == size else None


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    """size bytes, or fewer at end of file: an unbuffered pipe returns what has arrived so far."""
    chunks: list[bytes] = []
    while size > 0 and (chunk := stream.read(size)):
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


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
    # Lazy imports and compiled patterns are paid for before READY, so the time limit of the first job
    # measures that article alone (on a busy machine the warm-up alone can take a second).
    extract_file(WARM_UP, catalog)
    write_frame(results, READY)
    while (job := read_frame(source)) is not None:
        assert isinstance(job, Job)
        try:
            write_frame(results, extract_file(job, catalog))
        except OSError:  # the loader has gone
            return


if __name__ == "__main__":
    # Run as app.store.workers, not as __main__: the Job and Catalog classes the loader pickles live there.
    from app.store import workers

    workers.main()
