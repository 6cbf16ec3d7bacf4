"""The release's dataset card (README.md): the Hub folder's card, extended with the release's sections.

The YAML header keeps the generated ``configs`` and ``dataset_info`` (:mod:`secnews.formats.hf_card`)
and adds the Hub's metadata (licence, size, creators) and the release's version and date; the body
adds the release, statistics, loading, licence and citation sections. Attributions go in the card
itself for small releases and in ATTRIBUTIONS.md always, as licences such as CC BY require.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from secnews.core.fs import atomic_write_text
from secnews.core.project import load_project
from secnews.model.document import read_document
from secnews.quality.agreement import agreement
from secnews.release.changelog import new_line_note
from secnews.release.datasheet import baselines_markdown, render_exclusions, render_sources, render_statistics
from secnews.release.record import ReleaseRecord
from secnews.release.scan import AGREEMENT_SETS, Scan

HF_LICENSES = {
    "cc-by-2.0",
    "cc-by-2.5",
    "cc-by-3.0",
    "cc-by-4.0",
    "cc-by-sa-3.0",
    "cc-by-sa-4.0",
    "cc-by-nc-4.0",
    "cc-by-nc-sa-4.0",
    "cc0-1.0",
    "mit",
    "apache-2.0",
    "odc-by",
    "pddl",
}
#: above this many documents, per-document attributions live in ATTRIBUTIONS.md only
CARD_ATTRIBUTION_LIMIT = 200


def size_category(n: int) -> str:
    for limit, name in (
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
    ):
        if n < limit:
            return name
    return "1M<n<10M"


def hf_license(licenses: Iterable[str]) -> str:
    ids = sorted({str(x).lower() for x in licenses})
    if len(ids) == 1 and ids[0] in HF_LICENSES:
        return ids[0]
    return "other"


def _md_escape(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def render_attributions(record: ReleaseRecord, scans: Sequence[Scan], title: bool = True) -> str:
    lines = []
    if title:
        lines += [
            f"# Sources, licences and attributions of {load_project().name} {record.version}",
            "",
            "One entry per released document: its licence and the attribution its licence requires.",
            "",
        ]
    for s in sorted(scans, key=lambda s: s.id):
        what = s.attribution or " ".join(x for x in (s.title and f"« {s.title} »", s.source, s.url) if x)
        lines.append(f"- `{s.id}` ({s.license}): {_md_escape(what)}")
    return "\n".join(lines) + "\n"


def _card_yaml(folder: Path, record: ReleaseRecord) -> dict[str, Any]:
    header = front_matter(folder / "README.md")
    licenses = [s["license"] for s in record.sources]
    header.update(
        {
            "license": hf_license(licenses),
            "size_categories": [size_category(record.statistics["documents"]["all"])],
            "task_ids": ["named-entity-recognition"],
            "language_creators": ["found"],
            "multilinguality": ["monolingual"],
            "annotations_creators": ["expert-generated", "machine-generated"],
            "secnews_release": record.version,
            "secnews_release_date": record.date,
        }
    )
    if header["license"] == "other":
        header["license_name"] = "mixed: " + ", ".join(sorted(set(licenses)))
        header["license_link"] = "ATTRIBUTIONS.md"
    return header


def _card_body(folder: Path) -> str:
    text = (folder / "README.md").read_text(encoding="utf-8")
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        text = text[end + 5 :] if end > 0 else text
    return text.lstrip("\n")


def _line_note(record: ReleaseRecord) -> list[str]:
    """The sentence that explains a new release line, when this version starts one."""
    if record.previous is None or record.previous.split(".")[0] == record.version.split(".")[0]:
        return []
    return [new_line_note(record.version, record.previous, record.split_params)]


CITATION = """\
@misc{{{key}_{slug},
  title        = {{{title}}},
  author       = {{{{{authors}}}}},
  year         = {{{year}}},
  version      = {{{version}}},
  note         = {{Release {version} of {date}}}
}}"""


def _focus_share(focus: tuple[str, tuple[str, ...]] | None, count: int, total: int) -> str:
    """The project's focus region (``[dataset.focus]``) and its real share, in words that match it."""
    if not focus or not total:
        return ""
    share = count / total
    words = "a small minority" if share < 0.25 else "a minority" if share < 0.5 else "the majority"
    return (
        f" Articles about a {focus[0]} country ({', '.join(sorted(focus[1]))}): {count} of {total}, {words}."
    )


def _notes_section(record: ReleaseRecord) -> list[str]:
    """The maintainers' account of this version's changes (recorded with it), when there is one."""
    if not record.notes:
        return []
    return [f"### What changed in {record.version}", "", record.notes.strip(), ""]


def quality_section(record: ReleaseRecord, scans: Sequence[Scan]) -> list[str]:
    """Composition by country and pass-1/pass-2 agreement per layer on the test split, from the released
    documents themselves: what a user of the test split needs to judge it."""
    countries: Counter[str] = Counter()
    focus = load_project().focus
    in_focus = 0
    test = set(record.splits.get("test", []))
    test_docs = []
    for s in scans:
        countries.update(s.countries)
        in_focus += bool(focus and set(s.countries) & set(focus[1]))
        if s.compared and s.id in test:  # only test documents with both passes are read again
            test_docs.append(read_document(Path(s.path)))
    report = agreement(test_docs, AGREEMENT_SETS).to_dict()
    lines = [
        "## Composition and quality",
        "",
        "Countries where the reported events happen (gold `countries`, an article may name several), by "
        "number of articles: "
        + ", ".join(f"{c} {n}" for c, n in sorted(countries.items(), key=lambda x: (-x[1], x[0])))
        + "."
        + _focus_share(focus, in_focus, len(scans)),
        "",
        f"Test split: {len(test)} documents, {report['documents']} of them annotated twice independently "
        "(`pass-1`, `pass-2`) and adjudicated into gold. Agreement between the two passes (span F1 pooled "
        "over those documents, before adjudication):",
        "",
        "| layer | F1 exact | F1 overlap | spans (pass-1 / pass-2) |",
        "|---|---:|---:|---:|",
    ]
    for layer, modes in report["spans"].items():
        ex, ov = modes.get("exact", {}), modes.get("overlap", {})
        if ex.get("f1") is None:
            continue
        lines.append(
            f"| {layer} | {ex['f1']:.3f} | {ov.get('f1', 0):.3f} | {ex.get('n_gold')} / {ex.get('n_pred')} |"
        )
    lines += [
        "",
        "The maintainers' own audit of a gold sample (precision per layer) is in `DATASHEET.md`.",
        "",
    ]
    return lines


def write_card(
    folder: Path,
    record: ReleaseRecord,
    scans: Sequence[Scan] = (),
    files: Callable[[], Mapping[str, str]] | None = None,
) -> None:
    """Replace the generated README.md with the full card: the Parquet engineer's YAML and schema
    documentation, plus release, statistics, loading, licence/attribution and citation sections, and the
    baselines recorded on this very data (``files``: the folder's checksums, asked for only then)."""
    header = yaml.safe_dump(_card_yaml(folder, record), sort_keys=True, allow_unicode=True, width=1000)
    identity = load_project()
    configs = sorted(record.counts)
    parts = [
        _card_body(folder).rstrip("\n"),
        "",
        f"## Release {record.version}",
        "",
        f"- Version **{record.version}** of {record.date}"
        + (
            f" (previous: {record.previous}; see `CHANGELOG.md`)." if record.previous else " (first release)."
        ),
        "- Versions are semantic: major = a schema change that breaks loading, minor = documents or labels "
        "added or removed, patch = corrections. A released version never changes, and within a release "
        "line (one major version) a document never changes split in a later version (`corpus/splits.tsv` "
        "in the source repository).",
        *_line_note(record),
        f"- Splits: {record.split_params.get('scheme', 'hash')} scheme, ratios "
        + "/".join(f"{r:g}" for r in record.split_params.get("ratios", []))
        + "; near-duplicates (word 3-gram Jaccard >= "
        + f"{record.split_params.get('threshold')}) and reports of the same event are kept in one split.",
        "- Only documents with an adjudicated gold set, no validation error and a redistributable licence "
        "are released. " + render_exclusions(record).strip(),
        "- `SHA256SUMS` lists the checksum of every file; `croissant.json` is the Croissant metadata.",
        "",
        *_notes_section(record),
        *(quality_section(record, scans) if scans else []),
        "## Statistics",
        "",
        render_statistics(record, heading="###").rstrip("\n"),
        "",
        *_baselines_section(record, files),
        "## How to load",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        "# from a clone of the source repository (offline)",
        f'docs = load_dataset("./releases/{record.version}", "documents")',
        f'ner = load_dataset("./releases/{record.version}", "ner", split="train")',
        "# from the Hugging Face Hub, pinned to this version",
        f'# load_dataset("{identity.hub_repo}", "events", revision="{record.version}")',
        "```",
        "",
        "Configs: " + ", ".join(f"`{c}`" for c in configs) + ". DuckDB, Spark or Dask read the shards "
        "directly (`documents/train-*.parquet`).",
        "",
        "## Licence and attribution",
        "",
        render_sources(record).rstrip("\n"),
        "",
        "Each document keeps its own licence (`license` column) and attribution (`attribution` column).",
    ]
    if scans and len(scans) <= CARD_ATTRIBUTION_LIMIT:
        parts += ["", render_attributions(record, scans, title=False).rstrip("\n")]
    else:
        parts += ["The attribution of every document is listed in `ATTRIBUTIONS.md`."]
    parts += [
        "",
        "## Citation",
        "",
        "```bibtex",
        CITATION.format(
            key=identity.slug,
            title=identity.citation.title,
            authors=identity.citation.authors,
            slug=record.version.replace(".", "_"),
            year=record.date[:4],
            version=record.version,
            date=record.date,
        ),
        "```",
        "",
    ]
    atomic_write_text(folder / "README.md", f"---\n{header}---\n\n" + "\n".join(parts))


def _baselines_section(record: ReleaseRecord, files: Callable[[], Mapping[str, str]] | None) -> list[str]:
    """The card's Baselines section, from the results recorded on this release (none before they run)."""
    body = baselines_markdown(record, files)
    return ["## Baselines", "", body.rstrip("\n"), ""] if body else []


def front_matter(readme: Path) -> dict[str, Any]:
    """The YAML header of a card (empty when there is none: a folder that is not a release)."""
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        return {}
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---\n", 4)
    return yaml.safe_load(text[4:end]) or {} if end > 0 else {}
