"""The worker process that parses PDFs: limits are real and enforced."""

import os
import threading
import time

import pytest

from competition.uploads.sandbox import SandboxCrashed, SandboxMemory, SandboxTimeout, run_isolated

MiB = 1 << 20


# Targets run in the worker: module-level so they can be pickled by reference.
def add(a, b):
    return a + b


def sleep_forever(pid_file):
    with open(pid_file, "w") as f:
        f.write(str(os.getpid()))
    time.sleep(600)


def spin():
    while True:
        pass


def allocate(n):
    block = bytearray(n)
    return len(block)


def abort():
    os.abort()


def fail():
    raise ValueError("bad input")


def gone(pid: int, wait: float = 3.0) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/status") as f:
                if "State:\tZ" in f.read():
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_result_comes_back():
    assert run_isolated(add, (2, 3), timeout_s=5, memory_bytes=512 * MiB) == 5


def test_wall_clock_timeout_kills_the_worker(tmp_path):
    pid_file = tmp_path / "pid"
    start = time.monotonic()
    # 2 s leaves a busy machine time to start the worker (it writes its pid first); the bound only shows
    # that the timeout, not the sleep, ended the wait.
    with pytest.raises(SandboxTimeout):
        run_isolated(sleep_forever, (str(pid_file),), timeout_s=2, memory_bytes=512 * MiB)
    assert time.monotonic() - start < 30
    assert gone(int(pid_file.read_text()))


def test_cpu_bound_worker_is_stopped():
    start = time.monotonic()
    with pytest.raises(SandboxTimeout):
        run_isolated(spin, (), timeout_s=0.5, memory_bytes=512 * MiB)
    assert time.monotonic() - start < 4


def test_memory_limit():
    assert run_isolated(allocate, (64 * MiB,), timeout_s=5, memory_bytes=512 * MiB) == 64 * MiB
    with pytest.raises(SandboxMemory):
        run_isolated(allocate, (1024 * MiB,), timeout_s=5, memory_bytes=256 * MiB)


def test_crash_is_reported():
    with pytest.raises(SandboxCrashed):
        run_isolated(abort, (), timeout_s=5, memory_bytes=512 * MiB)


def test_exception_in_the_worker_is_reported():
    with pytest.raises(SandboxCrashed, match="ValueError: bad input"):
        run_isolated(fail, (), timeout_s=5, memory_bytes=512 * MiB)


def test_parallel_calls_from_threads():
    results = {}

    def call(i):
        results[i] = run_isolated(add, (i, i), timeout_s=10, memory_bytes=512 * MiB)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: 2 * i for i in range(4)}
