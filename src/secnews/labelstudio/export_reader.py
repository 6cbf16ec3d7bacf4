"""Reading a Label Studio full JSON export as a stream of tasks, whatever its size.

Each task's bytes are cut from the stream and parsed alone by orjson, so memory holds one task and
one read block (see :class:`_TaskTexts`). A file that is not one JSON list of tasks raises a coded
error (``LS_NOT_AN_EXPORT``, ``LS_MALFORMED_EXPORT``) that says where, in bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

import secnews.labelstudio.errors  # noqa: F401  (registers the LS_* rules)
from secnews.core.findings import Finding, SecnewsError, make_finding


def iter_export(fh: BinaryIO, source: str = "<export>") -> Iterator[tuple[int, Any]]:
    """Stream ``(index, task)`` from a full JSON export; malformed JSON raises a coded error.

    Each task's JSON text is cut out of the stream by :func:`_iter_task_texts` and parsed on its own
    by orjson: much faster than building the objects event by event (ijson), and memory still holds
    one task and one read block, whatever the size of the export.
    """
    for index, (text, task) in enumerate(_checked_tasks(fh, source, parse=True)):
        if task is _UNPARSED:
            try:
                task = orjson.loads(text)
            except orjson.JSONDecodeError as exc:  # the splitter saw one complete value: not expected
                raise SecnewsError(_malformed(source, f"task #{index}: {exc}")) from None
        yield index, task


def iter_export_texts(fh: BinaryIO, source: str) -> Iterator[tuple[int, bytes]]:
    """``(index, JSON text of the task)``: the checks of :func:`iter_export` without parsing tasks, for
    an importer that parses them in worker processes."""
    for index, (text, _) in enumerate(_checked_tasks(fh, source, parse=False)):
        yield index, text


def _checked_tasks(fh: BinaryIO, source: str, *, parse: bool) -> Iterator[tuple[bytes, Any]]:
    first = _first_byte(fh)
    if first != b"[":
        found = "nothing" if not first else ("an object" if first == b"{" else f"{first!r}")
        raise SecnewsError(make_finding("LS_NOT_AN_EXPORT", file=source, found=found))
    try:
        yield from _iter_task_texts(fh, parse=parse)
    except _Malformed as exc:
        raise SecnewsError(_malformed(source, str(exc))) from None


def _malformed(source: str, detail: str) -> Finding:
    return make_finding("LS_MALFORMED_EXPORT", file=source, detail=detail[:300])


class _Malformed(Exception):
    """The export is not one JSON list (the message says where, in bytes from the ``[``)."""


_JSON_WS = frozenset(b" \t\n\r")
_READ_BLOCK = 1 << 20  # bytes per read: large reads, few Python-level steps
_MIN_WINDOW = 1 << 14
_AFTER_VALUE = "unexpected content after document"
_NEEDS_MORE = "unexpected end of data"
_MAX_MISSES = 8
#: ``bytes.translate`` deletes these: what is left of a slice are its UTF-8 continuation bytes
_NOT_CONTINUATION = bytes(b for b in range(256) if b & 0xC0 != 0x80)


class _TaskTexts:
    """Cuts the top-level JSON list into the bytes of its elements, holding one read block.

    A task's end is found by orjson itself: parsing a window that starts at the task and runs past
    its end fails with "unexpected content after document" at the first character after the value.
    A window that ends inside the task fails with "unexpected end of data" and is doubled. There is
    no Python-level scanning of strings, escapes or brackets, so a bracket or an escaped quote in a
    string cannot mislead it: the parser that finds the end is the one that then reads the task.
    Windows are bytes (orjson reads them without a decoding step) cut at a character boundary;
    orjson reports positions in characters, converted back to bytes by :func:`_byte_offset`.
    """

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.buf = b""
        self.pos = 0  # next unread byte of buf
        self.offset = 0  # bytes of the export (from its "[") before buf[0], for messages
        self.eof = False
        self.misses = 0  # wrong guesses of line_value in a row

    def fill(self, need: int) -> bool:
        """Make ``need`` bytes available after ``pos`` if the file has them; False at its end."""
        while len(self.buf) - self.pos < need and not self.eof:
            block = self.fh.read(_READ_BLOCK)
            self.eof = not block
            self.offset += self.pos
            self.buf = self.buf[self.pos :] + block
            self.pos = 0
        return len(self.buf) - self.pos >= need

    def where(self, at: int = 0) -> str:
        return f"byte {self.offset + self.pos + at}"

    def skip_ws(self) -> int:
        """The next byte that is not JSON whitespace (-1 at the end of the file), not consumed."""
        while True:
            if not self.fill(1):
                return -1
            buf, pos, n = self.buf, self.pos, len(self.buf)
            while pos < n and buf[pos] in _JSON_WS:
                pos += 1
            self.pos = pos
            if pos < n:
                return buf[pos]

    def line_value(self, guess: int) -> tuple[bytes, Any] | None:
        """The value starting at ``pos`` and its task, if its end can be told from the layout (else None).

        A raw newline cannot occur inside a JSON string or number, so an export's line structure
        shows where its tasks end, in the two layouts exports come in:

        - one task a line (``[{...},\\n{...}]``, what ``secnews ls export`` and ``jq -c`` write): the
          text up to the next newline, less a ``,`` or ``]``;
        - indented (``json.dump(indent=n)``, what Label Studio writes): a task whose line starts with
          indentation ``ind`` ends at the first line that is ``ind`` and its closing bracket
          (the lines inside it are indented deeper).

        A guess that parses *is* the value (a JSON value has no proper prefix that is itself a whole
        value), and the task comes out of this single parse instead of a parse to find the end plus
        one to read. A wrong guess costs one failed parse; after ``_MAX_MISSES`` in a row, guessing
        stops for the file.
        """
        window = 2 * max(guess, _MIN_WINDOW)  # searching is cheap: room for a task twice the last
        self.fill(window)
        buf, pos = self.buf, self.pos
        limit = pos + window
        end = buf.find(b"\n", pos, limit)
        while end > pos and buf[end - 1] in _JSON_WS:
            end -= 1
        if end > pos and buf[end - 1] in (_COMMA, _CLOSE):
            end -= 1
        got = self._parsed(end)
        if got is None and buf[pos] in _OPENERS:
            line = buf.rfind(b"\n", 0, pos) + 1
            ind = buf[line:pos]
            if line and not ind.strip(b" \t"):
                marker = b"\n" + ind + _OPENERS[buf[pos]]
                # searching for the closing line costs as much as parsing the task: start a third of
                # the last task's size in (past this task's end, the parse fails: search it all)
                skip = pos + guess // 3 if guess > _MIN_WINDOW else pos
                close = buf.find(marker, skip, limit)
                if close > 0:
                    got = self._parsed(close + len(ind) + 2)
                if got is None and skip > pos:
                    close = buf.find(marker, pos, limit)
                    if close > 0:
                        got = self._parsed(close + len(ind) + 2)
        self.misses = 0 if got is not None else self.misses + 1
        return got

    def _parsed(self, end: int) -> tuple[bytes, Any] | None:
        """``buf[pos:end]`` and its value, consumed, if it is one whole JSON value."""
        if end <= self.pos:
            return None
        text = self.buf[self.pos : end]
        try:
            task = orjson.loads(text)
        except orjson.JSONDecodeError:
            return None
        self.pos = end
        return text, task

    def value(self, guess: int) -> bytes:
        """The bytes of the JSON value starting at ``pos`` (consumed), or :class:`_Malformed`."""
        window, previous = max(guess, _MIN_WINDOW), None
        while True:
            whole = not self.fill(window + 1)  # +1: a window short of the end is never "whole"
            end = min(self.pos + window, len(self.buf))
            for _ in range(3):  # never cut a character in two (that would be invalid UTF-8)
                if end < len(self.buf) and self.buf[end] & 0xC0 == 0x80:
                    end -= 1
            piece = self.buf[self.pos : end]
            try:
                orjson.loads(piece)
            except orjson.JSONDecodeError as exc:
                if exc.msg == _AFTER_VALUE:
                    cut = _byte_offset(piece, exc.pos)
                    self.pos += cut
                    return piece[:cut]
                error = f"{exc.msg} at {self.where(_byte_offset(piece, exc.pos))}"
                if whole:
                    raise _Malformed(error) from None
                if exc.msg != _NEEDS_MORE:
                    # a real error stays where it is when the window grows; one due to the cut moves
                    if previous == (exc.msg, exc.pos):
                        raise _Malformed(error) from None
                    previous = (exc.msg, exc.pos)
            else:  # the whole window is one value: the list is never closed, or a number goes on
                if whole:
                    raise _Malformed(f"unexpected end of data after {self.where()} (the list is not closed)")
            window *= 2


def _byte_offset(data: bytes, chars: int) -> int:
    """The byte offset in UTF-8 ``data`` of character offset ``chars`` (orjson counts characters).

    A character is one lead byte and its continuation bytes: the offset is ``chars`` plus the
    continuation bytes before it, found by a fixed point that counts only the bytes it adds (each
    round in C, by ``bytes.translate``), then moved past the continuation bytes of a last character.
    """
    at = chars + len(data[:chars].translate(None, _NOT_CONTINUATION))
    done = chars
    while True:
        more = len(data[done:at].translate(None, _NOT_CONTINUATION))
        if not more:
            break
        done, at = at, at + more
    while at < len(data) and data[at] & 0xC0 == 0x80:
        at += 1
    return at


#: the task of a text that :func:`_iter_task_texts` did not parse (``None`` is a JSON value)
_UNPARSED: Any = object()


def _iter_task_texts(fh: BinaryIO, *, parse: bool = False) -> Iterator[tuple[bytes, Any]]:
    """``(JSON text, task)`` of each element of the list that starts at ``fh``'s position (its ``[``).

    The task is :data:`_UNPARSED` unless ``parse`` and :meth:`_TaskTexts.line_value` could read it
    in one parse (then it comes with its text).
    """
    reader = _TaskTexts(fh)
    reader.fill(1)
    reader.pos += 1  # the "[" checked by _first_byte
    nxt = reader.skip_ws()
    if nxt == _CLOSE:
        reader.pos += 1
    else:
        size = 0
        while True:
            if nxt in (-1, _COMMA, _CLOSE):
                raise _Malformed(f"expected a task at {reader.where()}, found {_shown(nxt)}")
            guess = size + size // 4 + 256
            got = reader.line_value(guess) if parse and reader.misses < _MAX_MISSES else None
            if got is None:
                got = reader.value(guess), _UNPARSED
            size = len(got[0])
            yield got
            nxt = reader.skip_ws()
            if nxt == _CLOSE:
                reader.pos += 1
                break
            if nxt != _COMMA:
                raise _Malformed(f"expected ',' or ']' at {reader.where()}, found {_shown(nxt)}")
            reader.pos += 1
            nxt = reader.skip_ws()
    if reader.skip_ws() != -1:
        raise _Malformed(f"trailing data after the list at {reader.where()}")


_COMMA, _CLOSE = ord(","), ord("]")
_OPENERS = {ord("{"): b"}", ord("["): b"]"}  # a task's first byte -> its closing bracket


def _shown(byte: int) -> str:
    return "the end of the file" if byte < 0 else repr(bytes([byte]))


def _first_byte(fh: BinaryIO) -> bytes:
    while True:
        b = fh.read(1)
        if not b or not b.isspace():
            if b == b"\xef":  # a UTF-8 BOM
                fh.read(2)
                continue
            break
    fh.seek(fh.tell() - len(b))
    return b


def open_export(export: Path) -> BinaryIO:
    """The export opened for :func:`iter_export`; an unreadable file is a coded error, not a traceback."""
    try:
        return open(export, "rb")
    except OSError as exc:
        raise SecnewsError(
            make_finding("UNREADABLE_FILE", file=str(export), detail=exc.strerror or str(exc))
        ) from None
