"""The Ray engine: ``read_parquet`` -> ``map_batches`` (an actor pool, spaCy loaded once per actor) ->
shards written by the driver, named after their input shards.

Why the driver writes rather than ``Dataset.write_parquet``: Ray names the files it writes after its
own write tasks and spreads one input shard over several of them, so a rerun could not tell a whole
shard from part of one. Here the dataset keeps input order (``preserve_order``), every output row
carries its input file, and the driver writes a shard the moment its last row arrives (row counts come
from the input footers), through the same :func:`~secnews.formats.preannotation.shards.write_shard`
as the local engine: same rows, same files, same resume rule. The driver only encodes finished rows
to Parquet, a small fraction of the parsing work.

Measured here (ray 2.60, 2 CPUs): actors that each ask for a whole CPU starve the read tasks and the
job hangs, so actors ask for a fraction (``ACTOR_CPUS``) and the reads for less; the pool size
(``workers``) sets the parallelism. spaCy is loaded inside each actor: a pipeline passed as an
object reference fails to deserialise (spaCy issue #13506).
"""

from __future__ import annotations

import logging
import os
import pickle
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from secnews.core.findings import Rule, SecnewsError, make_finding, register
from secnews.core.paths import project_root
from secnews.formats.preannotation.batch import DocResult, predict_batch
from secnews.formats.preannotation.inputs import row_document, shard_row_count, table_shape
from secnews.formats.preannotation.shards import write_shard

if TYPE_CHECKING:
    from secnews.formats.preannotation.engine import Plan, Progress, RunReport

register(
    Rule(
        "PREANNOTATE_RAY_MISSING",
        "Ray is not installed",
        "error",
        "the ray engine needs Ray Data: {detail}",
        "The Ray engine is an optional extra: pip install 'secnews[scale]' (or 'ray[data]').",
        "preannotate",
    ),
)

#: CPUs each actor asks Ray for: less than one, so the read tasks always find room (see above)
ACTOR_CPUS = 0.5
READ_CPUS = 0.25
#: object store of a local Ray started by this engine (a cluster keeps its own settings)
LOCAL_OBJECT_STORE_BYTES = 256 * 1024 * 1024
#: documents per block handed to an actor (a few seconds of work: fine-grained enough to balance a pool)
BLOCK_ROWS = 32
PATH_COLUMN = "path"
PAYLOAD_COLUMN = "result"


class Predictor:
    """A Ray Data callable class: one per actor, spaCy loaded once in ``__init__`` (inside the actor)."""

    def __init__(self, layers: tuple[str, ...], batch_size: int) -> None:
        from secnews.annotate.preannotate import load_nlp

        self.layers, self.batch_size = layers, batch_size
        load_nlp()

    def __call__(self, batch: pa.Table) -> pa.Table:
        shape = table_shape(batch.schema.remove(batch.schema.get_field_index(PATH_COLUMN)), "<ray batch>")
        rows = batch.to_pylist()
        paths = [r.pop(PATH_COLUMN) for r in rows]
        results = predict_batch([row_document(r, shape) for r in rows], self.layers, self.batch_size)
        return pa.table(
            {
                PATH_COLUMN: pa.array(paths, pa.string()),
                PAYLOAD_COLUMN: pa.array([pickle.dumps(r) for r in results], pa.binary()),
            }
        )


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise SecnewsError(make_finding("PREANNOTATE_RAY_MISSING", detail=str(exc))) from None
    return ray


def start_ray(ray: Any) -> bool:
    """Join the cluster ``RAY_ADDRESS`` names, or start a small local Ray; True if we started one."""
    if ray.is_initialized():
        return False
    if os.environ.get("RAY_ADDRESS"):
        ray.init(log_to_driver=False, logging_level=logging.WARNING)
    else:
        ray.init(
            num_cpus=os.cpu_count() or 1,
            object_store_memory=LOCAL_OBJECT_STORE_BYTES,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
            runtime_env={"env_vars": {"SECNEWS_HOME": str(project_root())}},
        )
    return True


class _Collector:
    """Gathers result rows per input shard and writes a shard as soon as it is complete."""

    def __init__(self, todo: list[Path], out: Path, report: RunReport) -> None:
        self.expected = {p.name: shard_row_count(p) for p in todo}
        self.rows: dict[str, list[DocResult]] = defaultdict(list)
        self.out, self.report = out, report
        for name, n in self.expected.items():
            if n == 0:
                self._write(name)

    def _write(self, name: str) -> None:
        results = self.rows.pop(name, [])
        write_shard(self.out, name, results)
        self.report.add(results)
        self.report.written += 1

    def add(self, batch: pa.Table) -> int:
        paths = batch.column(PATH_COLUMN).to_pylist()
        payloads = batch.column(PAYLOAD_COLUMN).to_pylist()
        for path, payload in zip(paths, payloads, strict=True):
            name = Path(path).name
            self.rows[name].append(pickle.loads(payload))
            if len(self.rows[name]) == self.expected[name]:
                self._write(name)
        return len(paths)

    def unfinished(self) -> list[str]:
        return sorted(self.rows)


def run_ray(
    plan: Plan,
    out: Path,
    report: RunReport,
    layers: tuple[str, ...],
    batch_size: int,
    workers: int | None,
    progress: Progress,
) -> None:
    if not plan.todo:
        return
    ray = _import_ray()
    logging.getLogger("ray.data").setLevel(
        logging.ERROR
    )  # our bar shows progress; Ray's INFO lines are noise
    started = start_ray(ray)
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True  # rows reach the driver in input order
        ctx.enable_progress_bars = False  # ours counts documents, on the driver
        workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        collector = _Collector(plan.todo, out, report)
        ds = (
            ray.data.read_parquet(
                [str(p) for p in plan.todo], include_paths=True, num_cpus=READ_CPUS, file_extensions=None
            )
            .repartition(target_num_rows_per_block=BLOCK_ROWS)  # a shard is one block: cut it for the pool
            .map_batches(
                Predictor,
                fn_constructor_kwargs={"layers": layers, "batch_size": batch_size},
                batch_size=BLOCK_ROWS,
                batch_format="pyarrow",
                compute=ray.data.ActorPoolStrategy(size=workers),
                num_cpus=ACTOR_CPUS,
            )
        )
        for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
            n = collector.add(batch)
            if progress is not None:
                progress(n)
        if collector.unfinished():
            raise RuntimeError(f"Ray returned incomplete shards: {collector.unfinished()}")
    finally:
        if started:
            ray.shutdown()
