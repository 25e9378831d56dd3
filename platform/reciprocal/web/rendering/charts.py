"""SVG charts for the process-health page, drawn from the outcomes domain's figures (the view
fetches them; nothing here reads the database). Every interpolated value is escaped."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ...outcomes.process_health import Bar

WIDTH, ROW, LABEL, PAD = 640, 22, 170, 8


def bar_chart(title: str, bars: list[Bar], unit: str, reference_label: str = "") -> Markup:
    """A horizontal bar chart; a reference (promise, cap) is a dark tick on each bar's row.

    Everything interpolated is escaped; the chart carries a <title> and per-bar <title>s so
    screen readers and hover both get the figures.
    """
    if not bars:
        return Markup('<p class="muted">No data yet.</p>')
    top = max(max(b.value, b.reference or 0) for b in bars) or 1
    plot = WIDTH - LABEL - 60
    height = PAD * 2 + ROW * len(bars) + 18
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for index, bar in enumerate(bars):
        y = PAD + index * ROW
        length = max(1.0, plot * bar.value / top)
        over = bar.reference is not None and bar.value > bar.reference
        fill = "#c2410c" if over else "#2563eb"
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 15}" text-anchor="end" font-size="12" '
            f'fill="#334155">{escape(bar.label[:26])}</text>'
            f'<rect x="{LABEL}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}" '
            f'fill="{fill}"><title>{escape(bar.label)}: {bar.value:g} {escape(unit)}</title></rect>'
            f'<text x="{LABEL + length + 4:.1f}" y="{y + 15}" font-size="11" '
            f'fill="#334155">{bar.value:g}</text>'
        )
        if bar.reference is not None:
            x = LABEL + plot * bar.reference / top
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" y2="{y + ROW - 1}" '
                f'stroke="#0f172a" stroke-width="2"><title>{escape(reference_label)}: '
                f"{bar.reference:g} {escape(unit)}</title></line>"
            )
    legend = f"{escape(unit)}" + (f" · tick: {escape(reference_label)}" if reference_label else "")
    parts.append(
        f'<text x="{LABEL}" y="{height - 4}" font-size="11" fill="#64748b">{legend}</text></svg>'
    )
    return Markup("".join(parts))  # noqa: S704 - every interpolated value is escaped


def line_chart(title: str, points: list[tuple[str, float, float, float]]) -> Markup:
    """Ratings (1-5) over months: three lines, clarity, fairness and time vs cap."""
    if not points:
        return Markup('<p class="muted">No ratings yet.</p>')
    height, left, bottom = 220, 40, 30
    plot_w, plot_h = WIDTH - left - 20, height - bottom - 20
    step = plot_w / max(1, len(points) - 1)
    series = (("clarity", 1, "#2563eb"), ("fairness", 2, "#16a34a"), ("time vs cap", 3, "#c2410c"))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for level in range(1, 6):
        y = 20 + plot_h - plot_h * (level - 1) / 4
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e2e8f0"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#64748b">{level}</text>'
        )
    for name, column, colour in series:
        coords = " ".join(
            f"{left + i * step:.1f},{20 + plot_h - plot_h * (p[column] - 1) / 4:.1f}"
            for i, p in enumerate(points)
        )
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2">'
            f"<title>{escape(name)}</title></polyline>"
        )
    for i, p in enumerate(points):
        parts.append(
            f'<text x="{left + i * step:.1f}" y="{height - 8}" text-anchor="middle" '
            f'font-size="11" fill="#64748b">{escape(p[0])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated value is escaped


def process_health(response: list[Bar], ratings: list[tuple[str, float, float, float]],
                   time: list[Bar], passed: list[Bar]) -> dict[str, Markup]:
    """The process-health page's four charts, drawn from the figures its view fetched."""
    return {
        "response": bar_chart(
            "Business days to an answer, per candidate", response, "business days", "promise"
        ),
        "ratings": line_chart("Candidate ratings per month (1-5)", ratings),
        "time": bar_chart("Median time used per assignment", time, "hours", "time cap"),
        "pass": bar_chart("Hidden tests passed, per assignment", passed, "% passed"),
    }


def funnel(report: dict[str, Any]) -> dict[str, Markup]:
    """The funnel report's charts, drawn from reports.export.report's data (a table under each
    on the page carries the same figures)."""
    ratings = report["ratings"]
    return {
        "stages": bar_chart("Candidates reaching each stage",
                            [Bar(s["stage"], s["count"]) for s in report["stages"]],
                            "candidates"),
        "cap": bar_chart("Time taken against the cap",
                         [Bar(b["band"], b["count"]) for b in report["time_vs_cap"]["bands"]],
                         "submissions"),
        "scores": bar_chart(
            "Scores given per rubric criterion",
            [Bar(f"{row['criterion']}: {level}", row[level])
             for row in report["scores"] for level in ("great", "good", "mediocre")],
            "scores"),
        "ratings": bar_chart(
            "Candidates' mean ratings (1-5)",
            [Bar(name, ratings[key]) for name, key in
             (("clarity", "clarity"), ("fairness", "fairness"), ("time vs cap", "time_vs_cap"))
             if ratings.get(key) is not None],
            "mean rating"),
    }
