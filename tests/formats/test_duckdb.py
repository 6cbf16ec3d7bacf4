"""The Parquet files serve engines other than ``datasets``: DuckDB counts entities per type in one query."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb

from secnews.core.taxonomy import load_taxonomy
from secnews.formats.parquet import ANNOTATIONS_FILE, DOCUMENTS_FILE, write_documents_parquet
from secnews.model.synth import generate_document


def test_entities_per_type_with_one_query(tmp_path: Path) -> None:
    docs = [generate_document(i, sentences=3) for i in range(15)]
    write_documents_parquet(docs, tmp_path, batch_size=4)
    expected = Counter(
        e["type"] for d in docs for a in d["annotations"] if a["status"] == "gold" for e in a["entities"]
    )
    rows = duckdb.sql(
        f"SELECT e.type AS label, count(*) AS n FROM '{tmp_path / DOCUMENTS_FILE}', "
        "unnest(entities) AS t(e) GROUP BY label"
    ).fetchall()
    names = load_taxonomy().entity_types
    assert {names[label]: n for label, n in rows} == dict(expected)


def test_provenance_queryable_per_annotator(tmp_path: Path) -> None:
    docs = [generate_document(i, sentences=2, sets=2) for i in range(6)]
    write_documents_parquet(docs, tmp_path)
    rows = duckdb.sql(
        f"SELECT annotator, sum(len(entities)) FROM '{tmp_path / ANNOTATIONS_FILE}' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    expected = Counter()
    for d in docs:
        for a in d["annotations"]:
            expected[a["annotator"]] += len(a["entities"])
    assert dict(rows) == dict(expected)
    tools = duckdb.sql(
        f"SELECT count(*) FROM '{tmp_path / ANNOTATIONS_FILE}' "
        "WHERE json_extract_string(origin, '$.tool') = 'labelstudio'"
    ).fetchall()
    with_tool = [
        a for d in docs for a in d["annotations"] if (a["origin"] or {}).get("tool") == "labelstudio"
    ]
    assert tools[0][0] == len(with_tool) > 0
