"""The report's plots as inline SVG (matplotlib, Agg backend): the site works offline, from files."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _style(plt: Any) -> None:
    """A fixed hash salt (and no date, see ``_svg``): the same data gives the same SVG bytes; text stays
    text (searchable, small)."""
    plt.rcParams["svg.hashsalt"] = "secnews-report"
    plt.rcParams["svg.fonttype"] = "none"
    plt.rcParams["font.size"] = 9


def _svg(fig: Figure) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def grouped_bars(title: str, series: Mapping[str, Mapping[str, float]], horizontal: bool = True) -> str:
    """Bars per category, one colour per series (e.g. label counts per split)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    categories = sorted({c for s in series.values() for c in s})
    with plt.rc_context():
        _style(plt)
        fig, ax = plt.subplots(figsize=(7, max(2.0, 0.28 * len(categories) * max(1, len(series)) ** 0.5 + 1)))
        n = max(1, len(series))
        width = 0.8 / n
        for k, (name, values) in enumerate(series.items()):
            pos = [i + k * width - 0.4 + width / 2 for i in range(len(categories))]
            vals = [values.get(c, 0) for c in categories]
            (ax.barh if horizontal else ax.bar)(pos, vals, width, label=name)
        if horizontal:
            ax.set_yticks(range(len(categories)), categories)
            ax.invert_yaxis()
        else:
            ax.set_xticks(range(len(categories)), categories, rotation=45, ha="right")
        ax.set_title(title)
        if len(series) > 1:
            ax.legend(fontsize=8)
        ax.grid(axis="x" if horizontal else "y", alpha=0.3)
        return _svg(fig)


def stacked_bars(title: str, rows: Mapping[str, Mapping[str, int]], stack_order: Sequence[str]) -> str:
    """One horizontal bar per row, stacked by ``stack_order`` (e.g. documents per country, by year)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = sorted(rows, key=lambda r: (-sum(rows[r].values()), r))
    with plt.rc_context():
        _style(plt)
        fig, ax = plt.subplots(figsize=(7, max(2.0, 0.25 * len(names) + 1)))
        left = [0] * len(names)
        for part in stack_order:
            vals = [rows[n].get(part, 0) for n in names]
            ax.barh(range(len(names)), vals, left=left, label=part)
            left = [a + b for a, b in zip(left, vals, strict=True)]
        ax.set_yticks(range(len(names)), names)
        ax.invert_yaxis()
        ax.set_title(title)
        ax.legend(fontsize=8, ncol=min(4, len(stack_order)))
        ax.grid(axis="x", alpha=0.3)
        return _svg(fig)
