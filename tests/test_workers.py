"""Extraction in worker processes: the same outcomes as in-process, in order, and a dead worker costs one file."""

from __future__ import annotations

import gc
import os
import signal
import sys
import time

from app.extract.catalog import Catalog
from app.extract.types import ExtractedArticle, RejectedFile
from app.store.workers import MIN_FILES_FOR_WORKERS, ExtractionPool, Job, extract_file, worker_count
from tests.conftest import SEEDS_DIR


def seed_jobs() -> list[Job]:
    return [Job(path.read_bytes(), path.name, None) for path in sorted(SEEDS_DIR.glob("*.txt"))]


def test_workers_give_the_in_process_outcomes_in_submission_order(catalog: Catalog):
    jobs = seed_jobs() * 3 + [Job(b"", "empty.txt", None)]
    with ExtractionPool(catalog, processes=2) as pool:
        tickets = [pool.submit(job) for job in jobs]
        outcomes = [pool.result(ticket) for ticket in tickets]
    expected = [extract_file(job, catalog) for job in jobs]
    assert [o for o in outcomes if isinstance(o, ExtractedArticle)] == [
        e for e in expected if isinstance(e, ExtractedArticle)]
    assert isinstance(outcomes[-1], RejectedFile) and str(outcomes[-1]) == str(expected[-1])


def test_a_worker_that_dies_costs_the_file_it_held_and_the_rest_still_come(catalog: Catalog):
    jobs = seed_jobs()
    with ExtractionPool(catalog, processes=2) as pool:
        first = pool._workers[0].process
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        tickets = [pool.submit(job) for job in jobs]
        outcomes = [pool.result(ticket) for ticket in tickets]
        assert pool._workers[0].process is not first and pool._workers[0].process.poll() is None  # replaced
    assert isinstance(outcomes[0], RejectedFile)
    assert "stopped its process" in str(outcomes[0])
    assert outcomes[1:] == [extract_file(job, catalog) for job in jobs[1:]]


def test_workers_exit_when_the_pool_closes(catalog: Catalog):
    with ExtractionPool(catalog, processes=2) as pool:
        processes = [worker.process for worker in pool._workers]
        assert all(p.poll() is None for p in processes)
    assert all(p.poll() is not None for p in processes)


def test_without_workers_submit_extracts_at_once(catalog: Catalog):
    job = seed_jobs()[0]
    with ExtractionPool(catalog, processes=0) as pool:
        ticket = pool.submit(job)
        assert ticket.outcome == extract_file(job, catalog)
        assert pool.window == 0


def test_small_loads_extract_in_process_unless_told_otherwise():
    assert worker_count(MIN_FILES_FOR_WORKERS - 1, None) == 0
    assert worker_count(MIN_FILES_FOR_WORKERS, None) >= 1
    assert worker_count(3, 2) == 2
    assert worker_count(10_000, 0) == 0


# Dated clauses, linear to extract but a few megabytes of them take far longer than the limits set below.
SLOW_CLAUSE = "Shelling resumed near the airport on Friday while monitors said the convoy was held up on Sunday "
SHORT_LIMIT_S = 1.0


def slow_job() -> Job:
    return Job((SLOW_CLAUSE * 30_000).encode(), "slow.txt", None)


def test_an_article_over_the_time_limit_is_rejected_and_its_worker_replaced(catalog: Catalog):
    jobs = seed_jobs()
    jobs.insert(1, slow_job())
    with ExtractionPool(catalog, processes=2, timeout=SHORT_LIMIT_S) as pool:
        first = pool._workers[1].process
        tickets = [pool.submit(job) for job in jobs]
        outcomes = [pool.result(ticket) for ticket in tickets]
        assert pool._workers[1].process is not first and pool._workers[1].process.poll() is None
    assert isinstance(outcomes[1], RejectedFile)
    assert str(outcomes[1]) == "took longer than 1 s to extract"
    assert outcomes[:1] + outcomes[2:] == [extract_file(job, catalog) for job in jobs[:1] + jobs[2:]]


def test_in_process_extraction_keeps_the_time_limit_too_and_leaves_no_alarm_behind(catalog: Catalog):
    handler = signal.getsignal(signal.SIGALRM)
    with ExtractionPool(catalog, processes=0, timeout=SHORT_LIMIT_S) as pool:
        slow = pool.submit(slow_job())
    assert isinstance(slow.outcome, RejectedFile), slow.outcome
    assert str(slow.outcome) == "took longer than 1 s to extract"
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and signal.getsignal(signal.SIGALRM) == handler


def test_an_alarm_in_code_outside_the_project_waits_for_it_to_return_instead_of_being_ignored(catalog: Catalog):
    # A gc callback (as a test library registers one): an exception raised there is reported "ignored" and lost.
    ignored: list[object] = []
    busy_once = [True]

    def slow_callback(phase: str, info: dict[str, int]) -> None:
        if busy_once[0]:  # long enough that the first alarm certainly rings in here
            busy_once[0] = False
            until = time.monotonic() + SHORT_LIMIT_S * 1.5
            while time.monotonic() < until:
                pass

    hook, sys.unraisablehook = sys.unraisablehook, ignored.append
    gc.callbacks.append(slow_callback)
    try:
        with ExtractionPool(catalog, processes=0, timeout=SHORT_LIMIT_S) as pool:
            slow = pool.submit(slow_job())
    finally:
        gc.callbacks.remove(slow_callback)
        sys.unraisablehook = hook
    assert not busy_once[0], "the extraction never ran the garbage collector"
    assert isinstance(slow.outcome, RejectedFile) and str(slow.outcome) == "took longer than 1 s to extract"
    assert ignored == []
