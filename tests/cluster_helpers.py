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


SCENARIO = """\
name: {name}
base: {{history: history.csv, queues: queues.csv, agents: agents.csv, shifts: shifts.yaml,
       events: events.csv}}
horizon: {{start: 2026-11-11, days: 1}}
model: profile
roster_time_limit: 3
{extra}"""


def scenario_slice(folder: Path) -> list[Path]:
    """Two small scenarios (two queues of the sample, eight agents, one day): a base and
    one that deflects 30% of presales chat; their files are written into `folder`."""
    import pandas as pd
    import yaml

    from planning.sample import sample_file

    queues = ("presales_chat", "order_hotline")
    history = pd.read_csv(sample_file("history.csv"), parse_dates=["interval_start"])
    history[history["queue"].isin(queues) & (history["interval_start"] >= "2026-07-01")
            ].to_csv(folder / "history.csv", index=False)
    settings = pd.read_csv(sample_file("queues.csv"))
    settings[settings["queue"].isin(queues)].to_csv(folder / "queues.csv", index=False)
    pd.DataFrame({"agent_id": [f"A{i}" for i in range(8)], "name": [f"A {i}" for i in range(8)],
                  "queues": [queues[i % 2] for i in range(8)], "min_hours_week": 0,
                  "max_hours_week": 40, "max_days_week": 5, "unavailable": "",
                  "shifts": "full_time"}).to_csv(folder / "agents.csv", index=False)
    shifts = yaml.safe_load(sample_file("shifts.yaml").read_text(encoding="utf-8"))
    shifts["queues"] = {q: v for q, v in shifts["queues"].items() if q in queues}
    (folder / "shifts.yaml").write_text(yaml.safe_dump(shifts), encoding="utf-8")
    (folder / "events.csv").write_bytes(sample_file("events.csv").read_bytes())
    paths = []
    for name, extra in (("base", ""), ("chatbot", "deflection: {presales_chat: 0.3}\n")):
        paths.append(folder / f"{name}.yaml")
        paths[-1].write_text(SCENARIO.format(name=name, extra=extra), encoding="utf-8")
    return paths
