"""secnews.annotate.timex_fr side by side with dateparser (the baseline): speed, WiNER recall, normalisation accuracy.

    .venv/bin/python benchmarks/timex_fr.py [--articles 30]

- speed: find_timexes vs dateparser.search.search_dates over the same WiNER articles (ms per article)
  and find_timexes on the 3 kB seed article (the brief's budget: well under 5 ms);
- recall: share of WiNER's Date/Hour spans overlapped by a detected expression;
- accuracy: on tests/data/timex_fr_cases.tsv, exact (type-free) value agreement of normalize vs
  dateparser's DateDataParser read at its reported granularity.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from datetime import date, datetime
from pathlib import Path

from secnews.annotate.timex_fr import find_timexes, normalize

ROOT = Path(__file__).resolve().parent.parent
WINER = Path("/work/shared/sources/winer-fr")
SEED = Path("/work/shared/seeds/000_7302031bc759a944.txt")
CASES = ROOT / "tests" / "data" / "timex_fr_cases.tsv"


def _articles(n: int) -> list[tuple[str, str, list[tuple[int, int]]]]:
    out = []
    for path in sorted(WINER.glob("*/*/*.txt"))[:n]:
        y, mo, d = re.search(r"(\d{4})_(\d\d)_(\d\d)", path.name).groups()  # type: ignore[union-attr]
        gold = []
        for line in path.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and parts[1].startswith(("Date ", "Hour ")) and ";" not in parts[1]:
                gold.append(tuple(map(int, parts[1].split()[1:3])))
        out.append((path.read_text(encoding="utf-8"), f"{y}-{mo}-{d}", gold))
    return out


def _timed(fn, *args, repeat: int = 1) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best * 1000, result


def _dp_search(text: str, dct: str) -> list[tuple[int, int]]:
    from dateparser.search import search_dates

    base = datetime.fromisoformat(dct)
    found = search_dates(
        text, languages=["fr"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    )
    spans, pos = [], 0
    for surface, _ in found or []:
        i = text.find(surface, pos)
        if i >= 0:
            spans.append((i, i + len(surface)))
            pos = i + len(surface)
    return spans


def _recall(gold: list[tuple[int, int]], spans: list[tuple[int, int]]) -> int:
    return sum(any(s < e2 and s2 < e for s2, e2 in spans) for s, e in gold)


def _dp_value(expr: str, dct: str, past: bool) -> str | None:
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": datetime.fromisoformat(dct),
        "PREFER_DATES_FROM": "past" if past else "future",
    }
    data = DateDataParser(languages=["fr"], settings=settings).get_date_data(expr)
    if not data or data.date_obj is None:
        return None
    d = data.date_obj
    if data.period == "year":
        return f"{d.year:04d}"
    if data.period == "month":
        return d.strftime("%Y-%m")
    if data.period == "week":
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}"
    if d.hour or d.minute:
        return d.strftime("%Y-%m-%dT%H:%M")
    return d.date().isoformat()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=30, help="WiNER articles for the dateparser side (slow)")
    args = ap.parse_args()

    find_timexes("warm-up le 3 mars", "2024-12-28")
    seed = SEED.read_text(encoding="utf-8")
    ms, _ = _timed(find_timexes, seed, "2024-12-28", repeat=50)
    print(f"seed article ({len(seed)} chars): find_timexes {ms:.2f} ms (best of 50)")

    articles = _articles(10_000)
    rules_ms, rules_hit, gold_n = [], 0, 0
    for text, dct, gold in articles:
        ms, matches = _timed(find_timexes, text, dct, repeat=5)
        rules_ms.append(ms)
        rules_hit += _recall(gold, [(m.start, m.end) for m in matches])  # type: ignore[union-attr]
        gold_n += len(gold)
    print(
        f"WiNER, {len(articles)} articles: find_timexes median {statistics.median(rules_ms):.2f} ms/article, "
        f"recall of Date/Hour spans {rules_hit}/{gold_n} = {rules_hit / gold_n:.1%}"
    )

    sub = articles[: args.articles]
    _dp_search("le 3 mars", "2024-12-28")  # warm-up: dateparser loads its language data lazily
    dp_ms, dp_hit, r_ms, r_hit, sub_gold = [], 0, [], 0, 0
    for text, dct, gold in sub:
        ms, spans = _timed(_dp_search, text, dct)
        dp_ms.append(ms)
        dp_hit += _recall(gold, spans)  # type: ignore[arg-type]
        ms, matches = _timed(find_timexes, text, dct, repeat=5)
        r_ms.append(ms)
        r_hit += _recall(gold, [(m.start, m.end) for m in matches])  # type: ignore[union-attr]
        sub_gold += len(gold)
    dp_med, r_med = statistics.median(dp_ms), statistics.median(r_ms)
    print(
        f"first {len(sub)} WiNER articles: dateparser.search_dates median {dp_med:.1f} ms/article, "
        f"find_timexes {r_med:.2f} ms/article -> {dp_med / r_med:.0f}x faster; "
        f"recall {dp_hit}/{sub_gold} ({dp_hit / sub_gold:.1%}) vs {r_hit}/{sub_gold} ({r_hit / sub_gold:.1%})"
    )

    ours = theirs = total = 0
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        expr, dct, tense, _type, value = line.split("\t")[:5]
        past = tense == "past"
        total += 1
        m = normalize(expr, date.fromisoformat(dct), past=past)
        ours += m is not None and m.value == value
        theirs += _dp_value(expr, dct, past) == value
    print(f"normalisation cases: normalize {ours}/{total} exact values, dateparser {theirs}/{total}")


if __name__ == "__main__":
    main()
