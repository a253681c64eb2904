"""Where a build's cell rows are computed: in this process, or on a Dask cluster (issue 10).

The ``dask`` engine sends each chunk of days of each resolution to a worker as one task
(:func:`geo.build.cell_chunk`) with the located events of its days and of the
``reach(config).back`` days before them (the look-back its windows read), and the smallest region
of each cell over the whole build. The tasks are submitted in order, a few per worker ahead, and
their rows come back in order: the file written is the one the ``local`` engine writes. Each
worker loads the population grid once (:func:`geo.population.grids` is cached per process), from
its own ``PANTAUZONA_CACHE`` or, failing that, from the reference data (``PANTAUZONA_DATA``).
Without a scheduler address, a :class:`distributed.LocalCluster` of worker processes is started
for the build and stopped after it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections import deque
from collections.abc import Callable, Generator, Iterator

import numpy as np
import pandas as pd

from geo import cells
from geo.config import Config
from geo.errors import BuildError
from geo.rowsource import reach

logger = logging.getLogger(__name__)

ENGINES = ("local", "dask")
#: Days of cell rows one task computes: it carries its 34 days of look-back with it, so a task
#: is longer than the local engine's chunk (:data:`geo.build.CHUNK_DAYS`), not to ship the same
#: events once a day.
TASK_DAYS = 3
#: Tasks in flight per worker: one computing, one waiting, so no worker idles between two.
AHEAD_PER_WORKER = 2
#: Seconds to wait for a named scheduler before giving up.
CONNECT_SECONDS = 30


def check(engine: str, *, scheduler: str | None = None, workers: int | None = None) -> None:
    """Refuse, with a sentence, an engine and options that do not go together."""
    if engine not in ENGINES:
        msg = f"Unknown engine {engine!r}: choose one of {', '.join(ENGINES)}."
        raise BuildError(msg)
    if engine == "local" and (scheduler or workers):
        msg = "--scheduler and --workers go with --engine dask."
        raise BuildError(msg)
    if scheduler and workers:
        msg = "--workers sizes a local Dask cluster: the cluster at --scheduler has its own."
        raise BuildError(msg)
    if workers is not None and workers < 1:
        msg = f"--workers must be at least 1 (got {workers})."
        raise BuildError(msg)


@contextlib.contextmanager
def session(
    engine: str, *, scheduler: str | None = None, workers: int | None = None
) -> Iterator[object | None]:
    """A Dask client for the build (``None`` with the ``local`` engine), closed after it.

    Parameters
    ----------
    engine
        ``"local"`` or ``"dask"``.
    scheduler
        The address of a running Dask scheduler (``tcp://host:8786``); without it, a
        ``LocalCluster`` of ``workers`` processes (default: one per core) is started.
    workers
        The number of workers of the local cluster.
    """
    check(engine, scheduler=scheduler, workers=workers)
    if engine == "local":
        yield None
        return
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_SECONDS)
        except OSError as exc:
            msg = f"Could not reach the Dask scheduler at {scheduler}: {exc}"
            raise BuildError(msg) from exc
        with client:
            yield client
        return
    size = workers or os.cpu_count() or 1
    with (
        LocalCluster(
            n_workers=size, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _task_inputs(
    events: pd.DataFrame,
    config: Config,
    resolution: int,
    chunk: tuple[dt.date, dt.date],
    polys: pd.Series,
) -> tuple[pd.DataFrame, pd.Series]:
    """The events a chunk's windows read, and the smallest region of their cells."""
    first, last = chunk
    since = pd.Timestamp(first - dt.timedelta(days=reach(config).back))
    dates = events["date"]
    part = events[((dates >= since) & (dates <= pd.Timestamp(last))).to_numpy()]
    keys = part["cell"].to_numpy()
    if resolution != config.base_resolution:
        keys = cells.parents(keys, resolution)
    return part, polys[polys.index.isin(np.unique(keys))]


def chunk_rows(
    client: object,
    events: pd.DataFrame,
    config: Config,
    resolution: int,
    days: tuple[dt.date, list[tuple[dt.date, dt.date]]],
    polys: pd.Series,
    compute: Callable[..., tuple[pd.DataFrame, np.ndarray]],
) -> Generator[tuple[pd.DataFrame, np.ndarray], None, None]:
    """Scored cell rows of each chunk of one resolution, computed on the workers, in order.

    Parameters
    ----------
    client
        A ``distributed.Client``.
    events
        Every located event of the build.
    days
        The build's first day and the chunks to compute.
    polys
        The smallest finest-polygon index of each cell of ``resolution``.
    compute
        What a worker runs on one chunk (:func:`geo.build.cell_chunk`; passed in, so that this
        module does not import the build that imports it).
    """
    start, chunks = days
    ahead = AHEAD_PER_WORKER * max(1, sum(client.nthreads().values()))  # type: ignore[attr-defined]
    pending: deque = deque()
    todo = iter(chunks)
    while True:
        while len(pending) < ahead and (chunk := next(todo, None)) is not None:
            part, near = _task_inputs(events, config, resolution, chunk, polys)
            [data] = client.scatter([part])  # type: ignore[attr-defined]
            task = (start, *chunk)
            pending.append(
                client.submit(compute, data, config, resolution, task, near, pure=False)  # type: ignore[attr-defined]
            )
        if not pending:
            return
        yield pending.popleft().result()
