"""Tiny server-side SVG line charts: no JavaScript library, readable on a phone (the SVG scales)."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, PAD = 300, 80, 4
COLOURS = {"inbound": "#1f5fbf", "replies_sent": "#137333", "escalations": "#b42318"}


def line_chart(series, title):
    names = list(series)
    length = max((len(points) for points in series.values()), default=0)
    peak = max((p["count"] for points in series.values() for p in points), default=0) or 1
    step = (WIDTH - 2 * PAD) / max(1, length - 1)
    lines = []
    for name in names:
        coords = " ".join(
            f"{PAD + i * step:.1f},{HEIGHT - PAD - (p['count'] / peak) * (HEIGHT - 2 * PAD):.1f}"
            for i, p in enumerate(series[name])
        )
        lines.append((coords, COLOURS.get(name, "#555"), name))
    paths = format_html_join(
        "", '<polyline fill="none" stroke-width="2" points="{}" stroke="{}"><title>{}</title></polyline>', lines
    )
    legend = format_html_join(
        " ", '<span style="color:{}">■ {} ({})</span>',
        ((COLOURS.get(n, "#555"), n.replace("_", " "), sum(p["count"] for p in series[n])) for n in names),
    )
    return format_html(
        '<figure class="chart"><svg viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">{}</svg>'
        "<figcaption>{} <span class=\"muted\">peak {}/h</span></figcaption></figure>",
        WIDTH, HEIGHT, title, mark_safe(paths), legend, peak,
    )
