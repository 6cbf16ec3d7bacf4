"""Ingest articles as canonical documents: BRAT (WiNER-fr), plain text, JSONL and saved HTML pages.

Importing this package registers the ingest rules (``INGEST_*``, ``BRAT_*``, ``DCT_*``, ``HTML_*``)
in the finding catalogue.
"""

from secnews.ingest import common as common  # registers the coded rules

__all__ = ["common"]
