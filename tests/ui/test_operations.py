"""The workers: in order, results on the main thread, failures to the failure callback."""

from __future__ import annotations

import threading

import pytest

from ui.operations import Op, Worker


@pytest.fixture
def worker(qapp):  # noqa: ANN001, ANN201
    worker = Worker("test-worker")
    yield worker
    worker.shutdown()


def test_ops_run_in_order_off_the_main_thread_and_report_on_it(worker, qtbot):
    main = threading.current_thread()
    ran_on, reported_on, results = [], [], []

    def work(n: int) -> int:
        ran_on.append(threading.current_thread())
        return n * 10

    for n in range(20):
        Op(lambda n=n: work(n), worker).success(lambda r: (results.append(r), reported_on.append(threading.current_thread()))).run()
    qtbot.waitUntil(worker.is_idle, timeout=60_000)
    assert results == [n * 10 for n in range(20)]
    assert all(t is not main for t in ran_on)
    assert all(t is main for t in reported_on)


def test_a_failing_op_reports_its_exception_and_the_next_op_still_runs(worker, qtbot):
    failures, results = [], []
    Op(lambda: 1 / 0, worker).success(results.append).failure(failures.append).run()
    Op(lambda: "next", worker).success(results.append).run()
    qtbot.waitUntil(worker.is_idle, timeout=60_000)
    assert isinstance(failures[0], ZeroDivisionError)
    assert results == ["next"]


def test_a_shut_down_worker_finishes_its_queue_and_refuses_new_work(worker):
    done = []
    gate = threading.Event()
    Op(lambda: gate.wait(5), worker).run()
    Op(lambda: done.append("queued"), worker).run()
    gate.set()
    worker.shutdown()
    assert done == ["queued"]
    assert worker.submit(lambda: None, print, print) is False
