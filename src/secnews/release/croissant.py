"""Croissant metadata (``croissant.json``) of a release folder, built and validated with ``mlcroissant``.

One ``FileObject`` per Parquet shard (with its sha256), one ``FileSet`` per config (the glob readers
use) and one ``RecordSet`` per config whose fields mirror the config's ``datasets.Features``
(ClassLabels are integers whose names are listed in the field description; lists are arrays;
structs have sub-fields). ``datePublished`` is the release date from the record, never "now", and
the JSON is written with sorted keys, so the file is reproducible.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from secnews.core.findings import SecnewsError, make_finding
from secnews.core.fs import atomic_write_text
from secnews.core.project import load_project
from secnews.formats.arrow_schema import features
from secnews.release.record import ReleaseRecord
from secnews.release.verify import sha256_file

CROISSANT_FILE = "croissant.json"
PARQUET_FORMAT = "application/x-parquet"
_DTYPES = {
    "string": "TEXT",
    "large_string": "TEXT",
    "bool": "BOOL",
    "int8": "INTEGER",
    "int16": "INTEGER",
    "int32": "INTEGER",
    "int64": "INTEGER",
    "float32": "FLOAT",
    "float64": "FLOAT",
    "date32": "DATE",
}


def _field(mlc: Any, config: str, path: str, name: str, feature: Any, json_path: str = "") -> Any:
    """A Croissant field for one ``datasets`` feature (recursing into lists and structs).

    ``json_path`` locates the field inside its column's value; a list met on the way is ``[*]``
    (``arguments[*].role`` inside an event): a plain ``arguments.role`` reads nothing from a list,
    and mlcroissant failed to load the documents and annotations record sets.
    """
    import datasets

    uid = f"{config}/{path}"
    common = {"id": uid, "name": name}
    column = path.partition("/")[0]
    source = mlc.Source(
        file_set=f"{config}-parquet",
        extract=mlc.Extract(column=column),
        transforms=[mlc.Transform(json_path=json_path)] if json_path else [],
    )
    is_array = False
    while isinstance(feature, datasets.List | datasets.Sequence):
        is_array = True
        feature = feature.feature
    if isinstance(feature, dict):
        prefix = f"{json_path}[*]." if json_path and is_array else f"{json_path}." if json_path else ""
        subs = [_field(mlc, config, f"{path}/{k}", k, v, prefix + k) for k, v in feature.items()]
        return mlc.Field(
            **common,
            description=f"{'list of records' if is_array else 'record'}: {', '.join(feature)}",
            data_types=[],
            sub_fields=subs,
            source=source,
            is_array=is_array or None,
            array_shape="-1" if is_array else None,
        )
    if isinstance(feature, datasets.ClassLabel):
        dtype = mlc.DataType.INTEGER
        description = "class label index; names: " + ", ".join(feature.names)
    else:
        dtype = getattr(mlc.DataType, _DTYPES.get(getattr(feature, "dtype", "string"), "TEXT"))
        description = None
    return mlc.Field(
        **common,
        description=description,
        data_types=[dtype],
        source=source,
        is_array=is_array or None,
        array_shape="-1" if is_array else None,
    )


def _split_field(mlc: Any, config: str) -> Any:
    """The split of each record, read from its shard's file name (``test-00000-of-00001.parquet``).

    The shards hold no split column (``datasets`` takes the split from the card's data files), so
    without this field a Croissant reader would see train, validation and test as one pool.
    """
    return mlc.Field(
        id=f"{config}/split",
        name="split",
        description="the split of the record: train, validation or test (from the shard's file name)",
        data_types=[mlc.DataType.TEXT],
        source=mlc.Source(
            file_set=f"{config}-parquet",
            extract=mlc.Extract(file_property=mlc.FileProperty.filename),
            transforms=[mlc.Transform(regex=r"^([a-z]+)-\d+-of-\d+\.parquet$")],
        ),
    )


def build_croissant(folder: Path | str, record: ReleaseRecord) -> dict[str, Any]:
    """The Croissant JSON-LD of a release folder (validated: raises on any mlcroissant error)."""
    import mlcroissant as mlc  # lazily: seconds to import, needed only when a release is built

    folder = Path(folder)
    ctx = mlc.Context()
    distribution: list[Any] = []
    record_sets = []
    for config in sorted(record.counts):
        for shard in sorted((folder / config).glob("*.parquet")):
            rel = shard.relative_to(folder).as_posix()
            distribution.append(
                mlc.FileObject(
                    ctx=ctx,
                    id=rel,
                    name=rel,
                    content_url=rel,
                    content_size=f"{shard.stat().st_size} B",
                    encoding_formats=[PARQUET_FORMAT],
                    sha256=sha256_file(shard),
                )
            )
        distribution.append(
            mlc.FileSet(
                ctx=ctx,
                id=f"{config}-parquet",
                name=f"{config}-parquet",
                description=f"Parquet shards of the {config} config, one glob per split",
                encoding_formats=[PARQUET_FORMAT],
                includes=[f"{config}/*.parquet"],
            )
        )
        feats = features(config)
        record_sets.append(
            mlc.RecordSet(
                ctx=ctx,
                id=config,
                name=config,
                description=f"The {config} config ({sum(record.counts[config].values())} rows)",
                fields=[_split_field(mlc, config), *(_field(mlc, config, k, k, v) for k, v in feats.items())],
            )
        )
    licenses = sorted({s["license"] for s in record.sources})
    date = dt.datetime.fromisoformat(record.date + "T00:00:00+00:00")
    identity = load_project()
    metadata = mlc.Metadata(
        ctx=ctx,
        name=identity.name,
        description=f"{identity.summary} (release {record.version}).",
        url=identity.homepage,
        license=[_license_url(x) for x in licenses],
        version=record.version,
        date_published=date,
        in_language=list(identity.languages),
        keywords=list(identity.keywords),
        cite_as=f"{identity.citation.authors}, {identity.name} version {record.version} ({record.date})",
        distribution=distribution,
        record_sets=record_sets,
    )
    errors = list(ctx.issues.errors)
    if errors:
        raise SecnewsError(make_finding("RELEASE_CROISSANT_INVALID", detail="; ".join(sorted(errors))[:2000]))
    return metadata.to_json()


_LICENSE_URLS = {
    "cc-by-2.5": "https://creativecommons.org/licenses/by/2.5/",
    "cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}


def _license_url(spdx: str) -> str:
    return _LICENSE_URLS.get(spdx.lower(), spdx)


def dumps_croissant(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n"


def write_croissant(folder: Path | str, record: ReleaseRecord) -> Path:
    path = Path(folder) / CROISSANT_FILE
    atomic_write_text(path, dumps_croissant(build_croissant(folder, record)))
    return path


def validate_croissant(path: Path | str) -> list[str]:
    """mlcroissant's errors for a croissant.json (empty = valid), read back from the file."""
    import mlcroissant as mlc

    try:
        md = mlc.Metadata.from_file(mlc.Context(), Path(path))
    except mlc.ValidationError as exc:
        return [str(exc)]
    return sorted(md.ctx.issues.errors)
