"""A small builder for one self-contained HTML page (no scripts, no external assets).

All text passed in is HTML-escaped here, once: scraped pages carry scripts, so callers never
pre-escape and never insert raw HTML.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_CSS = """
body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:2rem auto;max-width:1100px;
color:#222;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;
vertical-align:top}th{background:#f5f5f5}.num{text-align:right;font-variant-numeric:tabular-nums}
.ex{border:1px solid #e2e2e2;border-radius:6px;margin:.6rem 0;padding:.5rem .8rem;background:#fafafa}
.ex pre{white-space:pre-wrap;word-break:break-all;max-height:16rem;overflow:auto;margin:.3rem 0}
.meta{color:#666;font-size:.85rem}mark{background:#ffe08a}mark sup{color:#a33;font-size:.65rem;margin-left:2px}.note{color:#555}
"""


def esc(value: Any) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape(str(value), quote=True)


@dataclass
class Page:
    """Accumulates sections and writes one HTML file."""

    title: str
    parts: list[str] = field(default_factory=list)

    def heading(self, text: str) -> Page:
        self.parts.append(f"<h2>{esc(text)}</h2>")
        return self

    def paragraph(self, text: str) -> Page:
        self.parts.append(f"<p class='note'>{esc(text)}</p>")
        return self

    def table(self, rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> Page:
        rows = list(rows)
        if not rows:
            self.parts.append("<p class='note'>(none)</p>")
            return self
        columns = list(columns or rows[0].keys())
        head = "".join(f"<th>{esc(c)}</th>" for c in columns)
        body = []
        for r in rows:
            cells = []
            for c in columns:
                v = r.get(c, "")
                cls = " class='num'" if isinstance(v, (int, float)) else ""
                if isinstance(v, float):
                    v = f"{v:.4g}"
                elif isinstance(v, (dict, list)):
                    v = json.dumps(v, ensure_ascii=False)
                cells.append(f"<td{cls}>{esc(v)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        self.parts.append(f"<table><tr>{head}</tr>{''.join(body)}</table>")
        return self

    def bar_chart(self, title: str, values: Mapping[str, float], *, width: int = 760, color: str = "#4e79a7") -> Page:
        """Horizontal bar chart as inline SVG."""
        items = list(values.items())
        if not items:
            return self.paragraph(f"{title}: (no data)")
        bar_h, label_w, pad = 20, 300, 4
        vmax = max((float(v) for _, v in items), default=0.0) or 1.0
        height = len(items) * (bar_h + pad) + 24
        rows = [f"<text x='0' y='14' font-size='13' font-weight='bold'>{esc(title)}</text>"]
        for i, (label, v) in enumerate(items):
            y = 22 + i * (bar_h + pad)
            w = max(1.0, (width - label_w - 80) * float(v) / vmax)
            shown = f"{v:.3g}" if isinstance(v, float) else str(v)
            rows.append(
                f"<text x='{label_w - 6}' y='{y + 14}' font-size='12' text-anchor='end'>{esc(str(label)[:40])}</text>"
                f"<rect x='{label_w}' y='{y}' width='{w:.1f}' height='{bar_h}' fill='{esc(color)}'/>"
                f"<text x='{label_w + w + 4:.1f}' y='{y + 14}' font-size='12'>{esc(shown)}</text>"
            )
        self.parts.append(
            f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img'>"
            + "".join(rows)
            + "</svg>"
        )
        return self

    def line_chart(
        self,
        title: str,
        series: Mapping[str, Sequence[float | None]],
        *,
        x: Sequence[float] | None = None,
        x_label: str = "step",
        y_range: tuple[float, float] | None = None,
        width: int = 640,
        height: int = 220,
    ) -> Page:
        """Line chart as inline SVG: one polyline per named series of y values (``None`` = no point).

        ``x`` gives the shared x values (default 0, 1, 2, ...); ``y_range`` fixes the y axis (default: data range).
        Numbers only go into the drawing; the title, series names and axis label are escaped."""
        pts = [
            (float(x[i]) if x is not None else float(i), float(y))
            for ys in series.values()
            for i, y in enumerate(ys)
            if y is not None and (x is None or i < len(x))
        ]
        if not pts:
            return self.paragraph(f"{title}: (no data)")
        pad_l, pad_b, pad_t, pad_r = 56, 28, 24, 10
        xs = [p[0] for p in pts]
        x0, x1 = min(xs), max(xs)
        y0, y1 = y_range if y_range else (min(p[1] for p in pts), max(p[1] for p in pts))
        x1, y1 = (x1 if x1 > x0 else x0 + 1), (y1 if y1 > y0 else y0 + 1)
        colors = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#76b7b2", "#b07aa1", "#9c755f", "#bab0ac"]

        def sx(v: float) -> float:
            return pad_l + (v - x0) / (x1 - x0) * (width - pad_l - pad_r)

        def sy(v: float) -> float:
            return pad_t + (1 - (v - y0) / (y1 - y0)) * (height - pad_t - pad_b)

        parts = [
            f"<text x='0' y='14' font-size='13' font-weight='bold'>{esc(title)}</text>",
            f"<line x1='{pad_l}' y1='{height - pad_b}' x2='{width - pad_r}' y2='{height - pad_b}' stroke='#999'/>",
            f"<line x1='{pad_l}' y1='{pad_t}' x2='{pad_l}' y2='{height - pad_b}' stroke='#999'/>",
            f"<text x='{pad_l - 4}' y='{pad_t + 4}' font-size='11' text-anchor='end'>{y1:.3g}</text>",
            f"<text x='{pad_l - 4}' y='{height - pad_b}' font-size='11' text-anchor='end'>{y0:.3g}</text>",
            f"<text x='{pad_l}' y='{height - 8}' font-size='11'>{esc(x_label)} {x0:.4g}</text>",
            (
                f"<text x='{width - pad_r}' y='{height - 8}' font-size='11' text-anchor='end'>"
                f"{esc(x_label)} {x1:.4g}</text>"
            ),
        ]
        if y0 < 0 < y1:
            parts.append(
                f"<line x1='{pad_l}' y1='{sy(0):.1f}' x2='{width - pad_r}' y2='{sy(0):.1f}' stroke='#ddd'/>"
            )
        for i, (name, ys) in enumerate(series.items()):
            c = colors[i % len(colors)]
            line = [
                (float(x[j]) if x is not None else float(j), float(y))
                for j, y in enumerate(ys)
                if y is not None and (x is None or j < len(x))
            ]
            d = " ".join(f"{sx(a):.1f},{sy(b):.1f}" for a, b in sorted(line))
            parts.append(f"<polyline fill='none' stroke='{c}' stroke-width='1.5' points='{d}'/>")
            if len(line) == 1:
                parts.append(f"<circle cx='{sx(line[0][0]):.1f}' cy='{sy(line[0][1]):.1f}' r='2.5' fill='{c}'/>")
            parts.append(
                f"<text x='{width - pad_r}' y='{pad_t + 12 * i}' font-size='11' fill='{c}' text-anchor='end'>"
                f"{esc(name)}</text>"
            )
        self.parts.append(
            f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img'>"
            f"{''.join(parts)}</svg>"
        )
        return self

    def histogram(self, title: str, data: Sequence[float], *, bins: int = 20) -> Page:
        """Histogram of numeric values, drawn as a bar chart of bin ranges."""
        data = [float(x) for x in data]
        if not data:
            return self.paragraph(f"{title}: (no data)")
        lo, hi = min(data), max(data)
        if hi == lo:
            return self.bar_chart(title, {f"{lo:.3g}": len(data)})
        step = (hi - lo) / bins
        counts = [0] * bins
        for x in data:
            counts[min(bins - 1, int((x - lo) / step))] += 1
        fmt = (lambda x: f"{x:,.0f}") if hi - lo >= 20 else (lambda x: f"{x:.3g}")
        return self.bar_chart(title, {f"{fmt(lo + i * step)}–{fmt(lo + (i + 1) * step)}": c for i, c in enumerate(counts)})

    def examples(self, title: str, items: Iterable[Mapping[str, Any]], *, max_chars: int = 1500) -> Page:
        """Text examples: each a mapping with `text` and any other fields shown as metadata."""
        self.heading(title)
        n = 0
        for item in items:
            n += 1
            text = str(item.get("text", ""))
            if len(text) > max_chars:
                text = text[:max_chars] + f" … [{len(text) - max_chars} more characters]"
            meta = " · ".join(f"{esc(k)}: {esc(v)}" for k, v in item.items() if k != "text")
            self.parts.append(f"<div class='ex'><div class='meta'>{meta}</div><pre>{esc(text)}</pre></div>")
        if n == 0:
            self.parts.append("<p class='note'>(none)</p>")
        return self

    def marked(self, title: str, items: Iterable[Mapping[str, Any]], *, max_chars: int = 2500) -> Page:
        """Texts with spans highlighted: each item has `text`, `spans` [(start, end, label)] and metadata."""
        self.heading(title)
        n = 0
        for item in items:
            n += 1
            text = str(item.get("text", ""))[:max_chars]
            pos, out = 0, []
            for start, end, label in sorted((s for s in item.get("spans", []) if s[0] < len(text)), key=lambda s: s[0]):
                if start < pos:
                    continue
                out.append(esc(text[pos:start]))
                out.append(f"<mark title='{esc(label)}'>{esc(text[start:end])}<sup>{esc(label)}</sup></mark>")
                pos = end
            out.append(esc(text[pos:]))
            meta = " · ".join(f"{esc(k)}: {esc(v)}" for k, v in item.items() if k not in ("text", "spans"))
            self.parts.append(f"<div class='ex'><div class='meta'>{meta}</div><pre>{''.join(out)}</pre></div>")
        if n == 0:
            self.parts.append("<p class='note'>(none)</p>")
        return self

    def render(self) -> str:
        return (
            "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
            f"<title>{esc(self.title)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{esc(self.title)}</h1>{''.join(self.parts)}</body></html>"
        )

    def write(self, path: str | Path) -> Path | str:
        """Write the page to `path` (a local path or a remote URL) whole, never half-written."""
        from wenforge.core.runs import atomic_output
        from wenforge.core.storage import path_or_url

        path = path_or_url(str(path))
        with atomic_output(path, "w") as f:
            f.write(self.render())
        return path
