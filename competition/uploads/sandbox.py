"""Run a function in a throw-away worker process with a wall-clock limit, a CPU
limit (RLIMIT_CPU) and an address-space limit (RLIMIT_AS).

The worker is started with the "forkserver" method (a clean interpreter, safe
in a threaded web server), or "spawn" where forkserver does not exist. It is
killed when the time is up. The function and its arguments and result must be
picklable; the function must live at module level.
"""

from __future__ import annotations

import math
import multiprocessing
import multiprocessing.connection
import os
import resource
import signal
import threading
from collections.abc import Callable
from typing import Any

# Modules the fork server imports once, so each worker starts warm.
PRELOAD = ["competition.uploads.pdf_worker"]

_lock = threading.Lock()
_ctx: Any = None


class SandboxError(Exception):
    """The worker did not return a result."""


class SandboxTimeout(SandboxError):
    pass


class SandboxMemory(SandboxError):
    pass


class SandboxCrashed(SandboxError):
    pass


def _context() -> Any:
    global _ctx
    with _lock:
        if _ctx is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                _ctx = multiprocessing.get_context("forkserver")
                # Global to the fork server; has no effect once it is running.
                _ctx.set_forkserver_preload(PRELOAD)
            else:
                _ctx = multiprocessing.get_context("spawn")
        return _ctx


def _child(conn: Any, func: Callable[..., Any], args: tuple, cpu_s: int, memory_bytes: int) -> None:
    try:
        _limit(resource.RLIMIT_CORE, 0, 0)
        _limit(resource.RLIMIT_CPU, cpu_s, cpu_s + 1)
        _limit(resource.RLIMIT_AS, memory_bytes, memory_bytes)
        outcome: tuple[str, Any] = ("ok", func(*args))
    except MemoryError:
        outcome = ("memory", None)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, not printed
        outcome = ("error", f"{type(exc).__name__}: {exc}"[:500])
    try:
        conn.send(outcome)
    except MemoryError:
        os._exit(3)
    finally:
        conn.close()


def _limit(which: int, soft: int, hard: int) -> None:
    """Lower a limit; never ask for more than the current hard limit."""
    _, current_hard = resource.getrlimit(which)
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    resource.setrlimit(which, (soft, hard))


def run_isolated(func: Callable[..., Any], args: tuple, *, timeout_s: float, memory_bytes: int) -> Any:
    """Return ``func(*args)`` computed in a worker process.

    Raises SandboxTimeout (wall clock or CPU limit), SandboxMemory (address
    space exhausted) or SandboxCrashed (anything else, including an exception
    inside ``func``).
    """
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    cpu_s = max(1, math.ceil(timeout_s))
    proc = ctx.Process(target=_child, args=(sender, func, args, cpu_s, memory_bytes), daemon=True)
    status, value = "crashed", None
    try:
        proc.start()
        sender.close()
        ready = multiprocessing.connection.wait([receiver, proc.sentinel], timeout=timeout_s)
        if receiver in ready:
            try:
                status, value = receiver.recv()
            except (EOFError, OSError):
                status, value = _died(proc), None
        elif proc.sentinel in ready:
            status, value = _died(proc), None
        else:
            status, value = "timeout", None
    finally:
        _reap(proc, kill=status == "timeout")
        receiver.close()
    if status == "ok":
        return value
    if status == "timeout":
        raise SandboxTimeout(f"no result within {timeout_s} s")
    if status == "memory":
        raise SandboxMemory("memory limit reached")
    raise SandboxCrashed(str(value or "worker exited without a result"))


def _died(proc: Any) -> str:
    proc.join(1.0)
    if proc.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
        return "timeout"  # RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL at the hard one
    if proc.exitcode == 3:
        return "memory"
    return "crashed"


def _reap(proc: Any, kill: bool) -> None:
    if proc.pid is None:
        return
    if not kill:
        proc.join(1.0)  # it exits right after sending its result
    if proc.is_alive():
        proc.kill()
        proc.join(5.0)
    proc.close()
