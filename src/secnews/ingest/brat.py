"""BRAT ``.txt``/``.ann`` pairs -> canonical documents, first of all the WiNER-fr Wikinews subset.

The BRAT text is detokenised (:mod:`secnews.ingest.detok`) and every text-bound annotation is moved
through the offset map; one that cannot be moved exactly is reported (``BRAT_UNMAPPABLE_SPAN``) and
kept verbatim in the set's ``origin.extra.unmapped``. Records with no secnews equivalent (relations,
events, attributes, notes) are kept verbatim in ``origin.extra.unimported`` and reported as warnings.

WiNER-fr labels map to ours as follows (the original label stays in ``source_label``):

- Person -> PER; Product, Event -> MISC;
- Organization -> the type ``schema/actors.yaml`` gives the name (and its ``actor`` id), else ORG;
- Location -> FAC when the name is a street, square, station, road number or a listed landmark
  (Champs-Élysées, Bataclan...); LOC when it is a natural feature or region with no government
  (a sea, river, desert, valley, border, "Sahel", "Proche-Orient", continents); GPE otherwise
  (countries, regions, départements, cities, villages: the common case in news);
- Date -> timex DATE, Hour -> timex TIME, with a null value (normalisation is another layer's job).

The publication date (DCT) comes from the dateline ("22 mars 2016 . –") when there is one, because
it is the date the article's "aujourd'hui" and "mardi" refer to; the file-name date is the fallback.
When both exist and differ, the dateline wins and a ``DCT_MISMATCH`` warning is reported (WiNER's
2016_03_23-001 is an article of 22 March updated on the 23rd).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secnews.core.actors import Actor, load_actors
from secnews.core.findings import Finding, SecnewsError, make_finding
from secnews.ingest.common import (
    CorpusIndex,
    IngestResult,
    build_meta,
    is_normalized,
    new_document,
    slugify,
    write_ingested,
)
from secnews.ingest.detok import OffsetMap, detokenize
from secnews.model.timex3 import MONTHS_FR

WINER_FILE_RE = re.compile(r"^(?P<y>\d{4})_(?P<m>\d{2})_(?P<d>\d{2})-(?P<n>\d{3})$")
WINER_SET_ID = "winer-fr"
DATELINE_RE = re.compile(
    rf"^(?P<d>\d{{1,2}})(?:er)?\s+(?P<m>{'|'.join(MONTHS_FR)})\s+(?P<y>\d{{4}})\b", re.IGNORECASE
)
#: files of a source directory that are not articles (licence texts, read-me files)
NON_ARTICLE_STEMS = frozenset({"license", "licence", "readme", "copying", "notice"})

_FAC_HEAD = re.compile(
    r"^(?:rue|avenue|av\.|boulevard|bd|place|pont|gare|aéroport|aeroport|station|porte|quai|périph|"
    r"autoroute|route|jardin|palais|forum|promenade|square|passage|allée|cours|rond-point|esplanade|"
    r"hôtel|hotel|mosquée|église|cathédrale|synagogue|stade|salle|zone industrielle|marché|"
    r"(?:grands?[ -])?boulevards?|bassin)\b",
    re.IGNORECASE,
)
_ROAD_NUMBER = re.compile(r"^[ADEN] ?\d+[a-z]*(?:bis)?$")
_FAC_NAMES = frozenset(
    s.casefold()
    for s in (
        "Champs-Élysées",
        "Champs-Elysées",
        "Champs Élysées",
        "Champs",
        "Élysée",
        "Elysée",
        "Arc de Triomphe",
        "Louvre",
        "Bataclan",
        "Trocadéro",
        "Trocadero",
        "Grand Palais",
        "Tuileries",
        "Hôtel de ville",
        "Saint-Lazare",
        "London Bridge",
        "Borough Market",
        "Villa Somalia",
        "Westminster",
        "Montparnasse",
        "Part-Dieu",
        "Orly",
        "Canebière",
        "Promenade des Anglais",
        "Châtelet les Halles",
        "Maelbeek",
        "Bruxelles-Central",
        "Bruxelles-Nord",
        "Bruxelles-Midi",
        "Nantes Atlantique",
        "Drottninggatan",
    )
)
_LOC_HEAD = re.compile(
    r"^(?:mer|océan|golfe|fleuve|lac|mont|monts|massif|désert|forêt|île|îles|vallée|rivière|détroit|"
    r"plaine|plateau|frontière|zone|côte|delta|bande sahélo|région du lac)\b",
    re.IGNORECASE,
)
_LOC_NAMES = frozenset(
    s.casefold()
    for s in (
        "Sahel",
        "Sahara",
        "Maghreb",
        "Proche-Orient",
        "Moyen-Orient",
        "Levant",
        "Caucase",
        "Occident",
        "Orient",
        "Europe",
        "Afrique",
        "Asie",
        "Amérique",
        "Océanie",
        "Golan",
        "Euphrate",
        "Tigre",
        "Seine",
        "Méditerranée",
        "Manche",
        "Alpes",
        "Pyrénées",
        "Golfe persique",
        "Cham",
        "Petit Zab",
        "Nive",
        "Liptako",
        "Liptako-Gourma",
        "Azawad",
        "Macina",
    )
)


def location_type(name: str) -> str:
    """GPE, LOC or FAC for a WiNER ``Location`` (rules in the module docstring)."""
    bare = re.sub(
        r"^(?:l['’]\s*|la |le |les |d['’]\s*|du |des |qu['’])", "", name.strip(), flags=re.IGNORECASE
    )
    key = bare.casefold()
    if key in _FAC_NAMES or _FAC_HEAD.match(bare) or _ROAD_NUMBER.match(bare):
        return "FAC"
    if key in _LOC_NAMES or _LOC_HEAD.match(bare):
        return "LOC"
    return "GPE"


@dataclass
class BratRecord:
    """One line of a ``.ann`` file."""

    line: int
    raw: str
    id: str
    label: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    text: str | None = None

    @property
    def kind(self) -> str:
        return {
            "T": "text-bound",
            "R": "relation",
            "E": "event",
            "A": "attribute",
            "M": "attribute",
            "N": "normalisation",
            "#": "note",
            "*": "equivalence",
        }.get(self.id[:1], "unknown")


def parse_ann(content: str, file: str) -> tuple[list[BratRecord], list[Finding]]:
    """Every record of a ``.ann`` file (text-bound ones with their spans), and unreadable lines."""
    records: list[BratRecord] = []
    findings: list[Finding] = []
    for n, raw in enumerate(content.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = raw.split("\t")
        rid = parts[0]
        if rid.startswith("T") and len(parts) >= 3:
            m = re.fullmatch(r"(\S+) (\d+ \d+(?:;\d+ \d+)*)", parts[1])
            if m:
                spans = [tuple(int(x) for x in frag.split()) for frag in m.group(2).split(";")]
                records.append(BratRecord(n, raw, rid, m.group(1), spans, "\t".join(parts[2:])))  # type: ignore[arg-type]
                continue
        elif rid and rid[0] in "REAMN#*" and len(parts) >= 2:
            records.append(BratRecord(n, raw, rid, parts[1].split(" ")[0]))
            continue
        findings.append(make_finding("BRAT_BAD_LINE", file=file, line=n, lineno=n, content=raw[:80]))
    return records, findings


def read_urls(path: Path) -> dict[str, str]:
    """``urls.tsv``: WiNER file id -> Wikinews URL."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {row[0]: row[1] for row in csv.reader(fh, delimiter="\t") if len(row) >= 2}


def find_dateline(text: str, max_lines: int = 10) -> tuple[str, int] | None:
    """The ISO date of the first dateline among the first lines after the title, and its line index."""
    for i, line in enumerate(text.split("\n")[1:max_lines], start=1):
        m = DATELINE_RE.match(line.strip())
        if m:
            month = MONTHS_FR.index(m.group("m").lower()) + 1
            return f"{int(m.group('y')):04d}-{month:02d}-{int(m.group('d')):02d}", i
    return None


def choose_published(
    file_date: str | None, text: str, *, file: str, doc_id: str
) -> tuple[str | None, list[Finding]]:
    """The DCT: the dateline's date when there is one, else the file name's (with warnings)."""
    found = find_dateline(text)
    dateline_date = found[0] if found else None
    if dateline_date is None:
        if file_date is None:
            return None, []
        return file_date, [make_finding("DCT_NO_DATELINE", file=file, doc_id=doc_id, chosen=file_date)]
    if file_date and file_date != dateline_date:
        return dateline_date, [
            make_finding(
                "DCT_MISMATCH",
                file=file,
                doc_id=doc_id,
                file_date=file_date,
                dateline_date=dateline_date,
                chosen=dateline_date,
            )
        ]
    return dateline_date, []


def _span_record(
    rec: BratRecord, text: str, omap: OffsetMap, clean: str, *, file: str, doc_id: str
) -> tuple[dict[str, Any] | None, Finding | None]:
    """The record's span on the clean text, or the finding that explains why there is none."""

    def fail(code: str, **kw: Any) -> tuple[None, Finding]:
        return None, make_finding(
            code,
            file=file,
            doc_id=doc_id,
            annotation_set=WINER_SET_ID,
            annotation_id=rec.id,
            ann_id=rec.id,
            line=rec.line,
            lineno=rec.line,
            **kw,
        )

    if len(rec.spans) != 1:
        return fail(
            "BRAT_UNMAPPABLE_SPAN",
            start=rec.spans[0][0],
            end=rec.spans[-1][1],
            text=rec.text,
            detail="discontinuous BRAT span (secnews spans are contiguous)",
        )
    start, end = rec.spans[0]
    if text[start:end] != rec.text:
        return fail("BRAT_SPAN_TEXT_MISMATCH", start=start, end=end, expected=rec.text, found=text[start:end])
    mapped = omap.map_span(start, end, trim=True)
    if mapped is None:
        return fail(
            "BRAT_UNMAPPABLE_SPAN",
            start=start,
            end=end,
            text=rec.text,
            detail="nothing of the span survives the clean-up",
        )
    ns, ne = mapped
    span = {"start": ns, "end": ne, "text": clean[ns:ne]}
    if omap.map_span(start, end) is None:
        _, note = fail("BRAT_SPAN_TRIMMED", start=start, end=end, text=rec.text, new_text=span["text"])
        return span, note
    return span, None


def _resolve_in_document(surface: str, records: list[BratRecord], text: str) -> Actor | None:
    """An ambiguous alias ("FDS") resolved by an unambiguous mention of one candidate in the same article.

    "Forces démocratiques syriennes (FDS)" settles the acronym for the whole article; with no such
    mention, or with mentions of several candidates, the alias stays unresolved.
    """
    actors = load_actors()
    candidates = {a.id for a in actors.candidates(surface)}
    if len(candidates) < 2:
        return None
    named = {
        a.id
        for r in records
        if r.id.startswith("T") and r.text and not actors.is_ambiguous(r.text)
        for a in [actors.lookup(r.text)]
        if a is not None
    }
    hits = candidates & named
    return actors.get(hits.pop()) if len(hits) == 1 else None


_REF_RE = re.compile(r"^(?:[^:\s]+:)?([TREAMN#]\d+)$")


def _dangling(rec: BratRecord, defined: set[str], *, file: str, doc_id: str) -> list[Finding]:
    """The ids a non-text-bound record refers to (``Arg1:T2``, ``Negated T13``) that no record defines."""
    fields = rec.raw.split("\t")
    tokens = fields[1].split(" ") if len(fields) > 1 else []
    missing = [m.group(1) for t in tokens for m in [_REF_RE.match(t)] if m and m.group(1) not in defined]
    return [
        make_finding(
            "BRAT_DANGLING_REF",
            file=file,
            doc_id=doc_id,
            annotation_set=WINER_SET_ID,
            annotation_id=rec.id,
            line=rec.line,
            lineno=rec.line,
            kind=rec.kind,
            ann_id=rec.id,
            target=target,
        )
        for target in missing
    ]


def winer_annotation_set(
    records: list[BratRecord], text: str, omap: OffsetMap, clean: str, *, file: str, rel_ann: str, doc_id: str
) -> tuple[dict[str, Any], list[Finding]]:
    """WiNER's entities and dates as a human annotation set, mapped to the secnews taxonomy."""
    actors = load_actors()
    findings: list[Finding] = []
    entities: list[dict[str, Any]] = []
    timexes: list[dict[str, Any]] = []
    unimported: list[str] = []
    unmapped: list[str] = []
    defined = {r.id for r in records}
    for rec in records:
        if not rec.id.startswith("T"):
            findings += _dangling(rec, defined, file=file, doc_id=doc_id)
            unimported.append(rec.raw)
            findings.append(
                make_finding(
                    "BRAT_NOT_IMPORTED",
                    file=file,
                    doc_id=doc_id,
                    annotation_set=WINER_SET_ID,
                    annotation_id=rec.id,
                    line=rec.line,
                    lineno=rec.line,
                    kind=rec.kind,
                    ann_id=rec.id,
                )
            )
            continue
        span, problem = _span_record(rec, text, omap, clean, file=file, doc_id=doc_id)
        if problem is not None:
            findings.append(problem)
        if span is None:
            unmapped.append(rec.raw)
            continue
        label = rec.label or ""
        if label in ("Date", "Hour"):
            timexes.append(
                {
                    "id": rec.id,
                    **span,
                    "type": "DATE" if label == "Date" else "TIME",
                    "value": None,
                    "anchor": None,
                    "mod": None,
                    "source_label": label,
                }
            )
            continue
        actor_id = None
        if label == "Person":
            etype = "PER"
        elif label in ("Product", "Event"):
            etype = "MISC"
        elif label == "Location":
            etype = location_type(span["text"])
        elif label == "Organization":
            actor = actors.lookup(span["text"]) or _resolve_in_document(span["text"], records, text)
            etype, actor_id = (actor.type, actor.id) if actor else ("ORG", None)
        else:
            unmapped.append(rec.raw)
            findings.append(
                make_finding(
                    "BRAT_UNKNOWN_LABEL",
                    file=file,
                    doc_id=doc_id,
                    annotation_set=WINER_SET_ID,
                    annotation_id=rec.id,
                    ann_id=rec.id,
                    label=label,
                    line=rec.line,
                    lineno=rec.line,
                )
            )
            continue
        entities.append(
            {"id": rec.id, **span, "type": etype, "mention": "NAM", "actor": actor_id, "source_label": label}
        )
    extra: dict[str, Any] = {"corpus": "WiNER-fr", "file": rel_ann}
    if unimported:
        extra["unimported"] = unimported
    if unmapped:
        extra["unmapped"] = unmapped
    ann_set: dict[str, Any] = {
        "id": WINER_SET_ID,
        "kind": "human",
        "annotator": "winer-fr",
        "status": "submitted",
        "created": None,
        "updated": None,
        "origin": {"tool": "brat", "extra": extra},
        "labels": {"relevant": None, "countries": []},
        "entities": entities,
        "events": [],
        "attributions": [],
        "timexes": timexes,
        "relations": [],
    }
    return ann_set, findings


def winer_attribution(title: str, url: str | None) -> str:
    where = url or "https://fr.wikinews.org/"
    return (
        f"« {title} », Wikinews (fr), the free news source: Wikinews contributors, {where}, "
        "licensed under CC BY 2.5 (https://creativecommons.org/licenses/by/2.5/); text detokenised by "
        "secnews-fr. Named-entity annotations: WiNER-fr, Yoann Dupont "
        "(https://github.com/YoannDupont/WiNER-fr), CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/), "
        "offsets re-mapped by secnews-fr."
    )


@dataclass
class BratArticle:
    """One ``.txt`` (and its ``.ann`` if any) found in a BRAT directory."""

    txt: Path
    ann: Path | None
    rel: str  # path relative to the source directory, for reports


def find_articles(directory: Path) -> Iterator[BratArticle]:
    """Every article ``.txt`` under ``directory`` (sorted), skipping licence and read-me files."""
    for txt in sorted(Path(directory).rglob("*.txt")):
        if txt.stem.lower() in NON_ARTICLE_STEMS or txt.name.startswith("."):
            continue
        ann = txt.with_suffix(".ann")
        yield BratArticle(txt, ann if ann.exists() else None, txt.relative_to(directory).as_posix())


def convert_article(
    art: BratArticle, *, urls: dict[str, str], source_root: Path, published: str | None = None
) -> tuple[dict[str, Any], list[Finding]]:
    """One BRAT article as a canonical document (not written), with the findings of the conversion."""
    file = str(art.txt)
    raw = _read_utf8(art.txt)
    m = WINER_FILE_RE.match(art.txt.stem)
    doc_id = f"wikinews-fr-{m['y']}-{m['m']}-{m['d']}-{m['n']}" if m else slugify(art.txt.stem, 120)
    if not is_normalized(raw):
        raise SecnewsError(make_finding("INGEST_NOT_NFC", file=file, doc_id=doc_id))
    det = detokenize(raw)
    clean = det.text
    findings: list[Finding] = []
    file_date = f"{m['y']}-{m['m']}-{m['d']}" if m else None
    dct, dct_findings = choose_published(file_date, clean, file=file, doc_id=doc_id)
    findings += dct_findings
    dct = published or dct
    if dct is None:
        raise SecnewsError(make_finding("HTML_NO_DATE", file=file, doc_id=doc_id, name=art.rel))
    title = clean.split("\n", 1)[0].strip() or None
    url = urls.get(art.txt.stem)
    meta = build_meta(
        published=dct,
        source="Wikinews (fr)",
        license="CC-BY-2.5",
        title=title,
        url=url,
        collection="winer-fr",
        attribution=winer_attribution(title or art.txt.stem, url),
        source_id=art.txt.stem,
    )
    annotations = []
    if art.ann is not None:
        records, bad = parse_ann(_read_utf8(art.ann), str(art.ann))
        findings += bad
        rel_ann = art.ann.relative_to(source_root).as_posix()
        ann_set, set_findings = winer_annotation_set(
            records, raw, det.offsets, clean, file=str(art.ann), rel_ann=rel_ann, doc_id=doc_id
        )
        annotations.append(ann_set)
        findings += set_findings
    else:
        findings.append(make_finding("BRAT_NO_ANN", file=file, doc_id=doc_id, name=art.rel))
    return new_document(doc_id, clean, meta, annotations), findings


def _read_utf8(path: Path) -> str:
    """A source file's text, or the coded finding that says why there is none (never a traceback)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SecnewsError(make_finding("UNREADABLE_FILE", file=str(path), detail=str(exc))) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SecnewsError(make_finding("BAD_ENCODING", file=str(path), detail=str(exc))) from None


@dataclass
class BratReport:
    results: list[IngestResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    counts_before: Counter[str] = field(default_factory=Counter)
    counts_after: Counter[str] = field(default_factory=Counter)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def ingest_brat(
    directory: Path,
    out_dir: Path,
    *,
    published: str | None = None,
    progress: bool = False,
) -> BratReport:
    """Ingest every BRAT article under ``directory`` into ``out_dir``; never raises on one bad article.

    A coded error on one article (unreadable, duplicate, text changed) is recorded in the report and
    the others go on, so one bad file does not block a collection.
    """
    directory = Path(directory)
    urls = read_urls(directory / "urls.tsv")
    index = CorpusIndex(out_dir)
    report = BratReport()
    articles = list(find_articles(directory))
    iterator: Any = articles
    if progress:
        from tqdm import tqdm

        iterator = tqdm(articles, desc="brat", unit="doc")
    for art in iterator:
        try:
            doc, findings = convert_article(art, urls=urls, source_root=directory, published=published)
        except SecnewsError as exc:
            report.findings += exc.findings
            continue
        if any(f.severity == "error" for f in findings):
            # a document with an annotation that cannot be carried over exactly is not written: the
            # .ann is fixed and the run repeated, so the corpus never holds a half-imported set
            report.findings += findings
            continue
        if art.ann is not None:
            records, _ = parse_ann(_read_utf8(art.ann), str(art.ann))
            report.counts_before.update(r.label or "?" for r in records if r.id.startswith("T"))
            report.counts_before.update(f"<{r.kind}>" for r in records if not r.id.startswith("T"))
        for ann in doc["annotations"]:
            report.counts_after.update(e["source_label"] for e in ann["entities"])
            report.counts_after.update(t["source_label"] for t in ann["timexes"])
            report.counts_after.update(
                f"<{r.kind}>" for r in map(_raw_kind, ann["origin"]["extra"].get("unimported", []))
            )
        try:
            report.results.append(
                write_ingested(doc, out_dir, index, owned_sets=[WINER_SET_ID], findings=findings)
            )
        except SecnewsError as exc:
            report.findings += exc.findings
            continue
        report.findings += findings
    return report


def _raw_kind(raw: str) -> BratRecord:
    return BratRecord(0, raw, raw.split("\t", 1)[0])
