"""Where independent tasks run: in this process, or on a Dask cluster when one is named.

The one module that knows Dask. A cluster is named by `--cluster` (or the
`WFM_DASK_SCHEDULER` environment variable): `local` starts a `LocalCluster` on
this machine's cores (`local:N` for N workers), `tcp://HOST:8786` connects to a
running `dask scheduler`; nothing (or `none`) runs everything in-process as
before. `run_tasks(fn, items)` is a `map` that returns results in the order of
`items` wherever they ran; the libraries take it as a plain `mapper` argument.

Tasks are pure functions of small inputs that return frames; only the client
(the `wfm` process or the dashboard) writes files and the workspace. A worker
lost mid-run is survived by Dask itself: the scheduler runs its unfinished tasks
again on the other workers, whose inputs it still holds (inputs are sent with
each task, never scattered, so nothing lives only on one worker).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

ENV = "WFM_DASK_SCHEDULER"
"""Environment variable naming the cluster when `--cluster` is not given."""
CONNECT_SECONDS = 10
"""How long to wait for a scheduler to answer, and for it to have a worker."""
OPTION_HELP = ("run independent parts on a Dask cluster: `local` (this machine's cores, "
               "`local:N` for N workers), tcp://HOST:8786 (a running `dask scheduler`), "
               f"or `none`; default ${ENV}, else in this process")

Mapper = Callable[[Callable[[Any], Any], Sequence[Any]], list]

_ADDRESS = re.compile(r"^((tcp|tls|ucx)://[^\s/]+(:\d+)?/?|inproc://\S+)$")
_LOCAL = re.compile(r"^local(?::(\d+))?$")


class ClusterError(ValueError):
    """The named cluster cannot be used; the message says why and what to do."""


def cluster_address(option: str | None = None, env: dict[str, str] | None = None,
                    source: str = "--cluster") -> str | None:
    """The cluster to use: `option` if given, else `$WFM_DASK_SCHEDULER`; None for
    in-process (nothing named, `none`, or an empty value). Refuses anything that is not
    `local`, `local:N` or a scheduler address, naming where the value came from (`source`:
    the option, or the dashboard's field)."""
    env = os.environ if env is None else env
    value = option
    if value is None:
        value, source = env.get(ENV), ENV
    value = (value or "").strip()
    if value.lower() in ("", "none", "off", "no"):
        return None
    local = _LOCAL.match(value.lower())
    if local:
        if local.group(1) is not None and not 1 <= int(local.group(1)) <= 256:
            raise ClusterError(f"{source}: {value!r} asks for {local.group(1)} workers; "
                               "give local:1 to local:256")
        return value.lower()
    if _ADDRESS.match(value):
        return value.rstrip("/")
    if re.match(r"^[\w.-]+:\d+$", value):
        return f"tcp://{value}"
    raise ClusterError(f"{source}: {value!r} is not a cluster; give `local`, `local:N`, "
                       "a scheduler address such as tcp://10.0.0.5:8786, or `none`")


def add_cluster_argument(parser: argparse.ArgumentParser) -> None:
    """The `--cluster` option every fanning-out command shares."""
    parser.add_argument("--cluster", default=None, metavar="WHERE", help=OPTION_HELP)


@dataclass
class Cluster:
    """An open connection to where tasks run: `client` is None for in-process."""

    address: str | None = None
    client: Any = None

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any],
            progress: Callable[[float], None] | None = None) -> list:
        """`fn` over `items`, results in order (see `run_tasks`)."""
        return run_tasks(fn, items, client=self.client, progress=progress)

    def mapper(self, progress: Callable[[float], None] | None = None) -> Mapper | None:
        """A `mapper(fn, items)` for a library, or None in-process (the library then
        keeps its own way, e.g. `--jobs` worker processes)."""
        if self.client is None:
            return None
        return partial(run_tasks, client=self.client, progress=progress)

    def describe(self) -> str:
        """One line saying where tasks run, for the CLI and the dashboard."""
        return describe(self.client, self.address)


def _worker_check() -> str:
    """Run on every worker when connecting: the planner's packages import there."""
    import forecasting.forecaster  # noqa: F401
    import planning  # noqa: F401
    import scheduling.roster  # noqa: F401

    return "ok"


def start_client(address: str, source: str = "--cluster") -> Any:
    """A dask.distributed Client for `address` (`local`, `local:N` or a scheduler),
    checked: the scheduler answers, has a worker, and its workers can import wfm. Errors
    name `source` (the option, or the dashboard's field)."""
    from distributed import Client, LocalCluster

    local = _LOCAL.match(address)
    if local:
        workers = int(local.group(1) or os.cpu_count() or 1)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
        return Client(cluster)
    try:
        client = Client(address, timeout=f"{CONNECT_SECONDS}s")
    except (OSError, TimeoutError) as exc:
        raise ClusterError(
            f"{source} {address}: no Dask scheduler answered within {CONNECT_SECONDS} s "
            f"({exc}); start one with `dask scheduler`, or name no cluster (and unset "
            f"{ENV}) to run in this process") from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError):
        client.close()
        raise ClusterError(f"{source} {address}: the scheduler has no worker; start one "
                           f"with `dask worker {address}`") from None
    try:
        client.run(_worker_check)
    except Exception as exc:  # noqa: BLE001 - any failure there means the same fix
        client.close()
        raise ClusterError(
            f"{source} {address}: a worker cannot run wfm's code ({type(exc).__name__}: "
            f"{exc}); install this wfm version on every worker") from None
    return client


@contextmanager
def open_cluster(option: str | None = None) -> Iterator[Cluster]:
    """The cluster named by `option` / `$WFM_DASK_SCHEDULER`, closed on exit (a local
    cluster is stopped; a remote scheduler and its workers keep running)."""
    address = cluster_address(option)
    if address is None:
        yield Cluster()
        return
    client = start_client(address)
    try:
        yield Cluster(address=address, client=client)
    finally:
        local_cluster = client.cluster
        client.close()
        if local_cluster is not None:
            local_cluster.close()


_SHARED: dict[str, Cluster] = {}
_SHARED_LOCK = threading.Lock()


def shared_cluster(option: str | None = None, source: str = "--cluster") -> Cluster:
    """For a long-lived process (the dashboard): the cluster named by `option` /
    `$WFM_DASK_SCHEDULER`, connected once and kept open for every run after (a local
    cluster lives as long as the process); a connection that has closed is opened again.
    In-process when nothing is named."""
    address = cluster_address(option, source=source)
    if address is None:
        return Cluster()
    with _SHARED_LOCK:
        known = _SHARED.get(address)
        if known is not None and known.client.status == "running":
            return known
        _SHARED[address] = Cluster(address=address, client=start_client(address, source))
        return _SHARED[address]


def close_shared() -> None:
    """Close every connection `shared_cluster` keeps (and stop the local clusters)."""
    with _SHARED_LOCK:
        for cluster in _SHARED.values():
            local = cluster.client.cluster
            cluster.client.close()
            if local is not None:
                local.close()
        _SHARED.clear()


def workers(cluster: Cluster) -> tuple[int, int]:
    """(workers, threads) of the cluster; (0, 0) in-process."""
    if cluster.client is None:
        return 0, 0
    found = cluster.client.scheduler_info().get("workers", {})
    return len(found), sum(int(w.get("nthreads", 1)) for w in found.values())


def describe(client: Any, address: str | None = None) -> str:
    """Where tasks run: 'in this process' or the scheduler with its workers and threads."""
    if client is None:
        return "in this process"
    info = client.scheduler_info()
    workers = info.get("workers", {})
    threads = sum(int(w.get("nthreads", 1)) for w in workers.values())
    where = "local cluster" if address and address.startswith("local") else address
    return f"Dask {where or info.get('address', '')}: {len(workers)} worker(s), " \
           f"{threads} thread(s)"


def _threads(client: Any) -> int:
    workers = client.scheduler_info().get("workers", {})
    return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))


def run_tasks(fn: Callable[[Any], Any], items: Iterable[Any], client: Any = None,
              progress: Callable[[float], None] | None = None,
              window: int | None = None) -> list:
    """`[fn(item) for item in items]`, in this process when `client` is None, else as
    Dask tasks on the client's cluster; results in the order of `items` either way.

    At most `window` tasks (default twice the cluster's threads) are in flight, so the
    scheduler never holds every input at once; each finished result is fetched and
    released at once. A task's exception is raised here, the other tasks cancelled.
    `progress(fraction)` is called as tasks finish.
    """
    items = list(items)
    results: list = [None] * len(items)
    if client is None:
        for i, item in enumerate(items):
            results[i] = fn(item)
            if progress:
                progress((i + 1) / len(items))
        return results
    if not items:
        return results
    from distributed import as_completed

    window = window or max(4, 2 * _threads(client))
    name = getattr(fn, "__name__", "task").strip("_") or "task"
    run = uuid.uuid4().hex[:8]
    index: dict[str, int] = {}
    live: dict[str, Any] = {}

    def submit(i: int) -> Any:
        future = client.submit(fn, items[i], key=f"{name}-{run}-{i}", pure=False)
        index[future.key] = i
        live[future.key] = future
        return future

    queue = as_completed([submit(i) for i in range(min(window, len(items)))])
    following = len(live)
    done = 0
    from distributed.scheduler import KilledWorker

    try:
        for future in queue:
            try:
                results[index[future.key]] = future.result()
            except KilledWorker as exc:
                raise ClusterError(
                    f"task {future.key} was lost with its worker several times ({exc}); "
                    "the workers may be running out of memory: give them more, or fewer "
                    "threads each") from None
            live.pop(future.key).release()
            done += 1
            if progress:
                progress(done / len(items))
            if following < len(items):
                queue.add(submit(following))
                following += 1
    except BaseException:
        client.cancel(list(live.values()))
        raise
    return results
