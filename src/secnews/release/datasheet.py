"""Release statistics (computed from the built Parquet) and the generated blocks of DATASHEET.md.

DATASHEET.md is written by the maintainers; only the blocks between

    <!-- BEGIN GENERATED: statistics -->
    <!-- END GENERATED: statistics -->

(and ``agreement``, when agreement figures exist, and ``baselines``, when ``secnews baseline`` recorded
results for the release in ``benchmarks/baselines/results/<version>.md``) are replaced, from the release record. Everything
outside the markers is kept byte for byte.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

from secnews.core.findings import Finding, make_finding
from secnews.core.fs import atomic_write_text
from secnews.core.paths import project_root
from secnews.core.taxonomy import load_taxonomy
from secnews.formats.parquet import flatten_column
from secnews.release.record import ReleaseRecord
from secnews.release.splits import SPLITS

#: layer name in the statistics -> (config column, taxonomy section)
LABEL_LAYERS: dict[str, tuple[str, str]] = {
    "entities": ("entities.type", "entity_types"),
    "events": ("events.type", "event_types"),
    "attributions": ("attributions.claim", "claims"),
    "attribution_sources": ("attributions.source_type", "source_types"),
    "timexes": ("timexes.type", "timex_types"),
    "relations": ("relations.type", "relation_types"),
}
LAYER_TITLES: dict[str, str] = {
    "entities": "Entities per type",
    "events": "Events per type",
    "acled_groups": "Events per ACLED event type (group)",
    "attributions": "Attributions per claim type",
    "attribution_sources": "Attributions per source type",
    "timexes": "Time expressions per type",
    "relations": "Relations per type",
}
OUTCOME_GROUP = "(outcome: not an ACLED event)"


def _value_counts(arr: Any, names: Sequence[str]) -> Counter[str]:
    out: Counter[str] = Counter()
    if len(arr) == 0:
        return out
    for item in pc.value_counts(arr.drop_null()).to_pylist():
        out[names[item["values"]]] += item["counts"]
    return out


@dataclass
class SplitTally:
    """What :func:`statistics` counts in one split's shards of one folder (sums over folders)."""

    documents: int = 0
    tokens: int = 0
    sentences: int = 0
    labels: dict[str, Counter[str]] = field(
        default_factory=lambda: {layer: Counter() for layer in LABEL_LAYERS}
    )

    def add(self, other: SplitTally) -> None:
        self.documents += other.documents
        self.tokens += other.tokens
        self.sentences += other.sentences
        for layer, counts in other.labels.items():
            self.labels[layer].update(counts)


def tally(folder: Path | str, splits: Iterable[str]) -> dict[str, SplitTally]:
    """The counts of every split in the Parquet files of ``folder`` (``documents`` and ``ner``).

    A release built in chunks tallies each chunk in the worker that wrote it, from the shards that
    are then renamed into the release: the same files, read in parallel instead of once more at the end.
    """
    folder = Path(folder)
    tax = load_taxonomy()
    columns = sorted({c.split(".")[0] for c, _ in LABEL_LAYERS.values()})
    out: dict[str, SplitTally] = {}
    for split in splits:
        t = out[split] = SplitTally()
        for path in sorted((folder / "documents").glob(f"{split}-*.parquet")):
            table = pq.read_table(path, columns=columns)
            t.documents += table.num_rows
            for layer, (column, section) in LABEL_LAYERS.items():
                t.labels[layer].update(_value_counts(flatten_column(table, column), tax.names(section)))
        for path in sorted((folder / "ner").glob(f"{split}-*.parquet")):
            table = pq.read_table(path, columns=["tokens"])
            t.sentences += table.num_rows
            if table.num_rows:
                t.tokens += int(pc.sum(pc.list_value_length(table.column("tokens"))).as_py() or 0)
    return out


def statistics(folder: Path | str, split_ids: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Per split and overall: documents, tokens, sentences, and label counts of every layer.

    Read back from the Parquet files just written (``documents`` and ``ner``), so the numbers are
    those of the released data, not of a second reading of the corpus.
    """
    return statistics_from(tally(folder, split_ids), split_ids)


def statistics_from(tallies: Mapping[str, SplitTally], split_ids: Iterable[str]) -> dict[str, Any]:
    """:func:`statistics` from the tallies of the release's shards (summed over its chunks)."""
    tax = load_taxonomy()
    group_of = {r["name"]: r.get("acled_event_type") or OUTCOME_GROUP for r in tax.sections["event_types"]}
    docs: dict[str, int] = {}
    tokens: dict[str, int] = {}
    sentences: dict[str, int] = {}
    labels: dict[str, dict[str, Counter[str]]] = {}
    for split in split_ids:
        t = tallies.get(split, SplitTally())
        per: dict[str, Counter[str]] = {layer: Counter(t.labels[layer]) for layer in LABEL_LAYERS}
        per["acled_groups"] = Counter()
        for name, n in per["events"].items():
            per["acled_groups"][group_of.get(name, OUTCOME_GROUP)] += n
        docs[split], tokens[split], sentences[split] = t.documents, t.tokens, t.sentences
        labels[split] = per
    total: dict[str, Counter[str]] = {}
    for per in labels.values():
        for layer, c in per.items():
            total.setdefault(layer, Counter()).update(c)
    labels["all"] = total
    return {
        "documents": {**docs, "all": sum(docs.values())},
        "tokens": {**tokens, "all": sum(tokens.values())},
        "sentences": {**sentences, "all": sum(sentences.values())},
        "labels": {
            split: {layer: dict(sorted(c.items())) for layer, c in per.items()}
            for split, per in labels.items()
        },
    }


# --------------------------------------------------------------------------- rendering


def _cols(record: ReleaseRecord) -> list[str]:
    return [s for s in SPLITS if s in record.splits] + ["all"]


def render_statistics(record: ReleaseRecord, heading: str = "###") -> str:
    """Markdown tables of a release's statistics, per split (used by the card and the datasheet)."""
    st = record.statistics
    cols = _cols(record)
    lines = [
        f"Release **{record.version}** ({record.date}), schema {record.schema_version}.",
        "",
        "| | " + " | ".join(cols) + " |",
        "|---|" + "---:|" * len(cols),
    ]
    for key, title in (("documents", "documents"), ("sentences", "sentences"), ("tokens", "tokens")):
        lines.append(f"| {title} | " + " | ".join(f"{st.get(key, {}).get(c, 0):,}" for c in cols) + " |")
    labels = st.get("labels", {})
    for layer, title in LAYER_TITLES.items():
        names = sorted(labels.get("all", {}).get(layer, {}))
        lines += ["", f"{heading} {title}", ""]
        if not names:
            lines.append("(none in this release)")
            continue
        lines += ["| label | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
        for name in names:
            cells = [f"{labels.get(c, {}).get(layer, {}).get(name, 0):,}" for c in cols]
            lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_sources(record: ReleaseRecord) -> str:
    lines = ["| source | collection | licence | documents |", "|---|---|---|---:|"]
    for s in record.sources:
        lines.append(f"| {s['source']} | {s.get('collection') or ''} | {s['license']} | {s['documents']:,} |")
    return "\n".join(lines) + "\n"


def render_exclusions(record: ReleaseRecord, limit: int = 20) -> str:
    reasons: Counter[str] = Counter()
    for ex in record.excluded:
        for r in ex["reasons"]:
            reasons[r.split(" (")[0]] += 1
    if not reasons:
        return "No document of the corpus was left out.\n"
    lines = [f"{len(record.excluded)} documents of the corpus are not in this release:", ""]
    lines += [f"- {reason}: {n}" for reason, n in sorted(reasons.items())]
    unknown = [
        ex["id"] for ex in record.excluded if any(r.startswith("licence unknown") for r in ex["reasons"])
    ]
    if unknown:
        shown = ", ".join(f"`{i}`" for i in unknown[:limit]) + (" ..." if len(unknown) > limit else "")
        lines += [
            "",
            f"Left out because their licence is unknown (not redistributable until cleared): {shown}.",
        ]
    return "\n".join(lines) + "\n"


def render_datasheet_statistics(record: ReleaseRecord) -> str:
    return "\n".join(
        [
            f"(generated from `corpus/releases/{record.version}.json` by `secnews release`; do not edit)",
            "",
            "### Size and labels per split",
            "",
            render_statistics(record, heading="####"),
            "### Sources and licences",
            "",
            render_sources(record),
            "### Exclusions",
            "",
            render_exclusions(record),
        ]
    )


# --------------------------------------------------------------------------- baselines


def baselines_results_dir() -> Path:
    return project_root() / "benchmarks" / "baselines" / "results"


def data_checksums(files: Mapping[str, str]) -> dict[str, str]:
    """The Parquet files' checksums of a release: what its baselines were trained and scored on."""
    return {k: v for k, v in sorted(files.items()) if k.endswith(".parquet")}


def baselines_markdown(
    record: ReleaseRecord, files: Callable[[], Mapping[str, str]] | None = None
) -> str | None:
    """The baseline results recorded for this release (``secnews baseline`` writes them), if any.

    Only results computed on this release's very Parquet files count: a release rebuilt with other data
    under the same version (a test, a fork) does not inherit figures it did not earn. The files'
    checksums come from the record, or from ``files`` while the folder is being built (the record has
    none yet; hashing the shards again is only paid when results exist for the version).
    """
    results = baselines_results_dir()
    js, md = results / f"{record.version}.json", results / f"{record.version}.md"
    if not (js.exists() and md.exists()):
        return None
    recorded = json.loads(js.read_text(encoding="utf-8")).get("data_sha256")
    if recorded != data_checksums(record.files or (files() if files is not None else {})):
        return None
    return md.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- DATASHEET.md blocks


def marker_re(section: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- BEGIN GENERATED: {re.escape(section)} -->\n)(.*?)(<!-- END GENERATED: {re.escape(section)} -->)",
        re.S,
    )


def replace_block(text: str, section: str, body: str) -> str | None:
    """``text`` with the block of ``section`` replaced by ``body`` (None when the markers are absent)."""
    pattern = marker_re(section)
    if not pattern.search(text):
        return None
    body = body if body.endswith("\n") else body + "\n"
    return pattern.sub(lambda m: m.group(1) + body + m.group(3), text, count=1)


def update_datasheet(path: Path | str, record: ReleaseRecord, agreement: str | None = None) -> list[Finding]:
    """Rewrite the generated blocks of a datasheet from a release record; keep everything else.

    The ``agreement`` block is rewritten only when ``agreement`` (markdown) is given. Returns
    warnings for missing markers (the file is then left as it was for that block).
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    findings = []
    blocks = {"statistics": render_datasheet_statistics(record)}
    if agreement:
        blocks["agreement"] = agreement
    baselines = baselines_markdown(record)
    if baselines:
        blocks["baselines"] = baselines
    for section, body in blocks.items():
        new = replace_block(text, section, body)
        if new is None:
            findings.append(
                make_finding(
                    "RELEASE_DATASHEET_MARKERS", file=str(path), datasheet=str(path), section=section
                )
            )
        else:
            text = new
    if text != path.read_text(encoding="utf-8"):
        atomic_write_text(path, text)
    return findings
