"""Rule-based pre-annotation: spaCy's French model plus secnews rules write a prediction set.

The prediction set (``pred-secnews-rules``, kind ``prediction``) gives annotators a draft of all four
layers; it validates like any annotation set and is scored against gold by ``secnews evaluate``.
Importing this package is cheap: spaCy is loaded on first use (:func:`pipeline.load_nlp`).
"""

from __future__ import annotations

from secnews.annotate.preannotate.build import (
    LAYERS,
    build_prediction_set,
    checked,
    parse_layers,
    replace_set,
)
from secnews.annotate.preannotate.corpus import (
    PreannotateReport,
    count_documents,
    preannotate_paths,
    predict_document,
)
from secnews.annotate.preannotate.pipeline import SET_ID, annotator, load_nlp

__all__ = [
    "LAYERS",
    "SET_ID",
    "PreannotateReport",
    "annotator",
    "build_prediction_set",
    "checked",
    "count_documents",
    "load_nlp",
    "parse_layers",
    "preannotate_paths",
    "predict_document",
    "replace_set",
]
