"""Coded findings of the Label Studio bridge.

The server validates almost nothing (unknown labels, relations to missing regions and invalid
predictions are all accepted), so every check that keeps a wrong annotation out of the corpus lives
here, with a code a user can search for and a message that names the task, the annotation and the
region. Codes are public: never rename or reuse one.
"""

from __future__ import annotations

from secnews.core.findings import Rule, register

CATEGORY = "labelstudio"


def _rule(code: str, name: str, template: str, description: str, severity: str = "error") -> Rule:
    return Rule(code, name, severity, template, description, CATEGORY)  # type: ignore[arg-type]


RULES: tuple[Rule, ...] = (
    _rule(
        "LS_MALFORMED_EXPORT",
        "Malformed export",
        "export is not valid JSON: {detail}",
        "The export file must be the JSON list Label Studio writes; a truncated or hand-edited file "
        "cannot be trusted, so nothing is imported from it.",
    ),
    _rule(
        "LS_NOT_AN_EXPORT",
        "Not an export",
        "export must be a JSON list of tasks, found {found}",
        "Label Studio's full JSON export is a list of task objects.",
    ),
    _rule(
        "LS_BAD_TASK",
        "Bad task",
        "task #{index} is not an object with a 'data' object ({detail})",
        "Each task carries its text and metadata in 'data'.",
    ),
    _rule(
        "LS_TASK_WITHOUT_TEXT",
        "Task without text",
        "task {task} has no string 'data.text'",
        "A task without its text cannot become a document: offsets would point at nothing.",
    ),
    _rule(
        "LS_CRLF_TEXT",
        "CRLF text refused",
        "task {task}: 'data.text' contains carriage returns ('\\r')",
        "Canonical text uses '\\n' line ends, and Label Studio computes offsets on CRLF text "
        "inconsistently (upstream bug), so such tasks are refused instead of guessed: normalise line "
        "ends to '\\n' before loading the text into Label Studio.",
    ),
    _rule(
        "LS_TEXT_NOT_NFC",
        "Text not NFC",
        "task {task}: 'data.text' is not in Unicode NFC form",
        "Canonical text is NFC; normalising would move offsets, so the task is refused.",
    ),
    _rule(
        "LS_BAD_DOCUMENT_ID",
        "Bad document id",
        "task {task}: document id {value!r} is not a valid id",
        "'data.doc_id' names a file: ^[a-z0-9][a-z0-9._-]{{0,127}}$.",
    ),
    _rule(
        "LS_TEXT_CONFLICT",
        "Text differs from the corpus",
        "task {task}: text differs from the text of corpus document {doc} (first difference at {at})",
        "A document's text never changes once annotated; an annotation made on another text would "
        "have meaningless offsets.",
    ),
    _rule(
        "LS_MISSING_RESULT",
        "Missing result",
        "{what} {ann} of task {task} has no 'result' list",
        "Every annotation and prediction in a full export carries its regions in 'result'.",
    ),
    _rule(
        "LS_BAD_ITEM",
        "Bad result item",
        "{what} {ann} of task {task}: result item #{index} {detail}",
        "A result item must be an object with 'from_name', 'type' and 'value' (or a relation).",
    ),
    _rule(
        "LS_UNKNOWN_CONTROL",
        "Unknown control",
        "{what} {ann} of task {task}: region {region} uses unknown control {control!r}",
        "The export was made with another labeling config than schema/labelstudio.xml.",
    ),
    _rule(
        "LS_UNKNOWN_LABEL",
        "Unknown label",
        "{what} {ann} of task {task}: region {region} has unknown {control} value {label!r}",
        "Every label, choice and relation label must come from schema/taxonomy.yaml.",
    ),
    _rule(
        "LS_BAD_LABELS",
        "Bad labels",
        "{what} {ann} of task {task}: region {region}: {detail}",
        "A region has exactly one label of one layer.",
    ),
    _rule(
        "LS_BAD_SPAN",
        "Bad span",
        "{what} {ann} of task {task}: region {region}: {detail}",
        "Span offsets are integers with 0 <= start < end <= length of the text (code points, as the editor counts).",
    ),
    _rule(
        "LS_OFFSET_OUT_OF_RANGE",
        "Offset past the end",
        "{what} {ann} of task {task}: region {region} ends at {end} past the end of the text ({length} "
        "characters)",
        "The span points outside the task text, whether its offsets are read as code points (as the "
        "editor writes them) or as UTF-16 units (older exports).",
    ),
    _rule(
        "LS_OFFSET_SPLITS_CHARACTER",
        "Offset inside a character",
        "{what} {ann} of task {task}: region {region} offset {offset} falls inside a surrogate pair",
        "A region past the end of the text in code points can only be UTF-16 offsets; one of them "
        "inside an astral character (emoji) names no code point boundary.",
    ),
    _rule(
        "LS_SPAN_TEXT_MISMATCH",
        "Span text mismatch",
        "{what} {ann} of task {task}: region {region} says {found!r} but the text at its offsets is "
        "{expected!r}",
        "The span's own text must equal the document text at its offsets (modulo whitespace runs, "
        "which Label Studio collapses), read as code points or as UTF-16 units; a mismatch in both "
        "readings means shifted offsets, and guessing would corrupt data.",
    ),
    _rule(
        "LS_OFFSETS_UTF16",
        "UTF-16 offsets converted",
        "{what} {ann} of task {task}: {count} region(s) (first {first}) only match their text as UTF-16 "
        "offsets; converted to code points",
        "Label Studio 1.23's editor counts code points. An older export or a script that counted "
        "UTF-16 units (JavaScript string length) is still read when each region's own text confirms "
        "the UTF-16 reading; re-export from the server to get code points.",
        "warning",
    ),
    _rule(
        "LS_REGION_CONFLICT",
        "Region conflict",
        "{what} {ann} of task {task}: region {region}: {detail}",
        "Per-region attributes repeat their region's id and span; two regions with one id, or an "
        "attribute for no region, cannot be joined.",
    ),
    _rule(
        "LS_BAD_VALUE",
        "Bad value",
        "{what} {ann} of task {task}: region {region}: {detail}",
        "Typed per-region values (fatalities, timex value, actor) must be well formed.",
    ),
    _rule(
        "LS_RELATION_MISSING_REGION",
        "Relation to a missing region",
        "{what} {ann} of task {task}: relation {label} points at missing region {region}",
        "A relation's from_id and to_id must be regions of the same annotation.",
    ),
    _rule(
        "LS_BAD_RELATION",
        "Bad relation",
        "{what} {ann} of task {task}: relation {label} {from_id} -> {to_id}: {detail}",
        "Relation labels join specific layers: roles go from an event to an entity (or a timex for "
        "TIME), SOURCE/CONTENT/REPORTS from a cue, ANCHOR between timexes, SAME_AS between entities, "
        "SAME_EVENT/CAUSES between events.",
    ),
    _rule(
        "LS_INVALID_DOCUMENT",
        "Imported document invalid",
        "task {task}: the imported document fails validation: [{rule}] {detail}",
        "What is imported must pass the same validator as every corpus document.",
    ),
    _rule(
        "LS_BAD_SET",
        "Set cannot be exported",
        "document {doc} set {set}: {detail}",
        "An annotation set must be complete and consistent to become Label Studio regions.",
    ),
    _rule(
        "LS_NO_TOKEN",
        "No API token",
        "no Label Studio token: set LABEL_STUDIO_API_KEY in the environment",
        "The token is read only from the environment so it never lands in shell history, logs or files.",
    ),
    _rule(
        "LS_NO_URL",
        "No server URL",
        "no Label Studio URL: pass --url or set LABEL_STUDIO_URL",
        "The server to talk to must be named explicitly.",
    ),
    _rule(
        "LS_SERVER_ERROR",
        "Server error",
        "Label Studio server {url}: {detail}",
        "The server refused a request or could not be reached.",
    ),
    _rule(
        "LS_CONFIG_STALE",
        "Stale labeling config",
        "{config} is not the config generated from the taxonomy: run `secnews ls config`",
        "schema/labelstudio.xml is generated; a hand edit or a taxonomy change leaves it stale.",
    ),
)

register(*RULES)
