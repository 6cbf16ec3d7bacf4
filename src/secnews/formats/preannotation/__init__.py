"""Pre-annotating Parquet shards at scale: articles or release ``documents`` shards in, prediction
shards in the release's ``annotations`` shape out, on one machine or on a Ray cluster.

It sits in ``formats`` because it joins the pre-annotator (``annotate``) to the release's table
encoding (``formats.rows``); the Ray engine is imported only when asked for, so the default engine
never pulls Ray in.
"""

from __future__ import annotations

from secnews.formats.preannotation.engine import ENGINES, RunReport, preannotate_shards

__all__ = ["ENGINES", "RunReport", "preannotate_shards"]
