"""Real `dask scheduler` and `dask worker` processes on localhost for the cluster tests.

Each is started in its own process group (a `dask worker` is a nanny with a worker
process under it) so a test can stop, or kill, the whole of one; all are stopped at
teardown.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DASK = str(Path(sys.executable).with_name("dask"))


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env() -> dict[str, str]:
    # workers import wfm from this checkout and the test modules' task functions
    paths = [str(ROOT), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))
    env.pop("WFM_DASK_SCHEDULER", None)
    return env


class DaskProcesses:
    """A scheduler on a free port and the workers started against it."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.procs: list[subprocess.Popen] = []
        self.scheduler = self._start("scheduler", [DASK, "scheduler", "--host", "127.0.0.1",
                                                   "--port", str(self.port),
                                                   "--dashboard-address", ":0"])

    def _start(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = open(self.tmp / f"{name}-{len(self.procs)}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(argv, cwd=self.tmp, env=_env(), stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def add_worker(self) -> subprocess.Popen:
        """One `dask worker` with one thread."""
        return self._start("worker", [DASK, "worker", self.address, "--nthreads", "1",
                                      "--host", "127.0.0.1", "--dashboard-address", ":0",
                                      "--local-directory", str(self.tmp)])

    def wait_for_workers(self, n: int, timeout: float = 90) -> None:
        """Block until the scheduler counts `n` workers."""
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(n, timeout=timeout)

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL a process and all it started (a lost machine)."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)

    def stop(self) -> None:
        """Stop every process this object started: workers first, then the scheduler."""
        for proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        deadline = time.monotonic() + 20
        for proc in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.kill(proc)
