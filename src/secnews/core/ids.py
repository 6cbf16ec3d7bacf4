"""The shapes of identifiers, in one place: they end up in file names, URLs and Label Studio regions."""

from __future__ import annotations

import re

#: a document id is also its file name (``<id>.json``): lower case, no path separators
DOCUMENT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")
#: a record id inside an annotation set (E1, V2, rel-ab12...); Label Studio region ids must fit it too
RECORD_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
#: an actor of ``schema/actors.yaml`` (fama, jnim, ...)
ACTOR_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
