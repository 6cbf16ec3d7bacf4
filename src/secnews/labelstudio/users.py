"""One identity per annotator: the e-mail, whether the work came by ``ls pull`` or ``ls import``.

Label Studio exports name the annotator by server user id (``completed_by: 2``). ``ls pull`` resolves
ids to e-mails through the API; an offline ``ls import`` does it with a ``--users`` file, the CSV
(``id,email``) or JSON (``{"2": "awa@example.org"}``) a team keeps next to its server, so that the same
person's sets carry the same name and ``agreement``/``adjudicate`` can select them by
``annotator:<e-mail>``. An id the map does not know is kept as is, with one warning.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import orjson

from secnews.core.findings import Rule, SecnewsError, make_finding, register

ANNOTATOR_UNRESOLVED = "LS_ANNOTATOR_UNRESOLVED"

register(
    Rule(
        "LS_BAD_USERS_FILE",
        "Unreadable users file",
        "error",
        "{file}: {detail}",
        "The users file maps server user ids to e-mails: a CSV with 'id' and 'email' columns, or a "
        "JSON object from id to e-mail.",
        "labelstudio",
    ),
    Rule(
        "LS_ANNOTATOR_UNRESOLVED",
        "Annotator named by user id",
        "warning",
        "{count} annotation(s) name their annotator by server user id only (first: {user}); pass "
        "--users users.csv (id,email) so they are signed with e-mails, as `secnews ls pull` signs them",
        "The same person must carry one name across pulls and imports, or agreement and adjudication "
        "treat their sets as two people's.",
        "labelstudio",
    ),
)


def load_users(path: Path | str) -> dict[int, str]:
    """Server user id -> e-mail from a CSV (``id,email``) or JSON file; a coded error when malformed."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SecnewsError(
            make_finding("LS_BAD_USERS_FILE", file=str(path), detail=exc.strerror or str(exc))
        ) from None
    try:
        if raw.lstrip().startswith(b"{"):
            pairs = list(orjson.loads(raw).items())
        else:
            rows = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
            if not rows.fieldnames or not {"id", "email"} <= set(rows.fieldnames):
                raise ValueError(f"needs 'id' and 'email' columns, has {rows.fieldnames}")
            pairs = [(row["id"], row["email"]) for row in rows]
        return {int(uid): str(email).strip() for uid, email in pairs if str(email).strip()}
    except (ValueError, TypeError, UnicodeDecodeError, orjson.JSONDecodeError) as exc:
        raise SecnewsError(make_finding("LS_BAD_USERS_FILE", file=str(path), detail=str(exc)[:300])) from None
