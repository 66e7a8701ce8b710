"""DataFrame -> Plotly figure, no data access. The template, colours and margins live here, once."""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from analytics.amounts import amount, currency, prefix
from analytics.metrics.grouped import REGISTRY
from analytics.review.screens import FEW_CLICKS

# Colour-blind-safe palette; a creator or product line keeps its colour on every chart (see `colour_map`).
PALETTE = (
    "#E8590C",
    "#1C7ED6",
    "#2F9E44",
    "#AE3EC9",
    "#F08C00",
    "#0C8599",
    "#C2255C",
    "#5C940D",
    "#4263EB",
    "#868E96",
)
FONT = "Source Sans Pro, Arial, sans-serif"


def _flat_template() -> go.layout.Template:
    """Plotly's "plotly_white" look, kept to what bar and scatter charts on x and y axes read from it.

    The whole template styles every kind of trace and axis Plotly has (maps, 3-D scenes, polar, ternary): checking
    it costs about 5 ms for each figure, and it is most of a small figure's JSON sent to the browser. These parts
    draw the charts the same for a fifth of the time and a sixth of the bytes.
    """
    full = pio.templates["plotly_white"].to_plotly_json()
    layout_parts = (
        "autotypenumbers",
        "colorway",
        "font",
        "hovermode",
        "hoverlabel",
        "paper_bgcolor",
        "plot_bgcolor",
        "xaxis",
        "yaxis",
        "coloraxis",
        "shapedefaults",
        "annotationdefaults",
        "title",
    )
    # Built once as a Template: Plotly checks a Template object at a glance, a dict key by key (30 ms).
    return go.layout.Template(
        {
            "layout": {part: full["layout"][part] for part in layout_parts if part in full["layout"]},
            "data": {trace: full["data"][trace] for trace in ("bar", "scatter")},
        }
    )


TEMPLATE = _flat_template()


def colour_map(values: Iterable[str]) -> dict[str, str]:
    """A stable colour per name: the same creator or product line gets the same colour on every page."""
    names = sorted({str(v) for v in values})
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


# The title's distance from the top of the chart, and the height it takes with it (16 px text); each line past
# the first takes TITLE_LINE_PIXELS more.
TITLE_PAD = 14
TITLE_PIXELS = 38
TITLE_LINE_PIXELS = 20
# The longest title line that fits a phone's chart (390 px wide, 16 px bold): Plotly does not wrap a title, it
# runs off the chart's right edge.
TITLE_LINE_CHARS = 40


def wrapped_title(title: str) -> str:
    """`title` (HTML text) in as few lines of at most TITLE_LINE_CHARS as it takes, of even length (a word longer
    stays whole); broken after its colon when what follows fits a line: "New-to-brand % by product line:<br>
    creator-attributed buyers vs all buyers"."""

    def shown(text: str) -> int:
        return len(html.unescape(text))

    if shown(title) <= TITLE_LINE_CHARS:
        return title
    head, colon, tail = title.partition(": ")
    if colon and shown(head) < TITLE_LINE_CHARS and shown(tail) <= TITLE_LINE_CHARS:
        return f"{head}:<br>{tail}"

    words: list[str] = []
    for word in title.split(" "):
        if word == "·" and words:
            words[-1] += " ·"  # a separator ends its line rather than starting the next
        else:
            words.append(word)

    def lines_of(width: int) -> list[str]:
        lines: list[str] = []
        for word in words:
            if lines and shown(lines[-1]) + 1 + shown(word) <= width:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        return lines

    fewest = len(lines_of(TITLE_LINE_CHARS))
    even = -(-shown(title) // fewest)  # each line's share of the characters, rounded up
    # A word longer than a line (a storefront address as a creator's name) stands on a line of its own, and its
    # length leaves no even width to find: then the lines are filled to TITLE_LINE_CHARS.
    width = next((w for w in range(even, TITLE_LINE_CHARS + 1) if len(lines_of(w)) == fewest), TITLE_LINE_CHARS)
    return "<br>".join(lines_of(width))


def title_lines_below(figure: go.Figure) -> int:
    """The pixels the title's lines past the first take (`wrapped_title`): the margins above the plot grow by them."""
    return TITLE_LINE_PIXELS * str(figure.layout.title.text or "").count("<br>")


def styled(figure: go.Figure, title: str, x_title: str, y_title: str, height: int = 360) -> go.Figure:
    """The shared look: a title (in lines a phone shows whole), labelled axes with units, a quiet grid and a legend
    under the plot."""
    figure.update_layout(title_text=wrapped_title(title))
    extra = title_lines_below(figure)
    figure.update_layout(
        template=TEMPLATE,
        # Pinned to the top, so notes stacked above the plot (`mark_events`) can take the margin under it.
        title={
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": TITLE_PAD},
            "font": {"size": 16},
        },
        font={"family": FONT, "size": 13},
        height=height + extra,
        margin={"l": 60, "r": 20, "t": 60 + extra, "b": 50},
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
        hovermode="closest",
    )
    figure.update_xaxes(title_text=x_title, showgrid=False)
    figure.update_yaxes(title_text=y_title, gridcolor="#EEE")
    return figure


# --- Weekly review charts (overview, creators, products) ------------------------------------------------------

WEEK_MS = 7 * 24 * 60 * 60 * 1000
# A weekly bar's width: given, since Plotly cannot work one out from a single week's bar and draws it a pixel wide.
WEEK_BAR = WEEK_MS * 0.75
# Plotly's weekly periods start on this Sunday, so a bar spans its Sunday-Saturday reporting week.
SUNDAY = "2000-01-02"
SETTLING_FILL = "rgba(134, 142, 150, 0.16)"
MUTED = "#495057"
NOT_AVAILABLE = "#ADB5BD"
_HOVER = {"percent": ".1%", "count": ",.0f"}
_TICKS = {"percent": {"tickformat": ".1~%"}}


def _unit(fmt: str) -> str:
    """An axis title's unit by registry format: the brand's currency for amounts (`amounts.currency`)."""
    return {"money": f" ({currency()})", "percent": " (%)"}.get(fmt, "")


def axis_title(metric: str) -> str:
    """The registry's label with its unit, for an axis: "Attributed revenue ($)"."""
    entry = REGISTRY[metric]
    unit = _unit(entry.format)
    return entry.label if unit == " (%)" and entry.label.endswith("%") else entry.label + unit


def _written(values: Iterable[float]) -> list[str]:
    """Amounts as the tables write them, for a hover text: "-€12.00". Plotly's own formats put the minus before
    the sign only for dollars ("€-12.00"), so amounts are written here and the hover shows the text."""
    return ["" if pd.isna(v) else amount(float(v)) for v in values]


def _hover(metric: str, value: str) -> str:
    """A metric's label and value in a hover template; `value` names the field holding it (`y`, `customdata[1]`).
    An amount's field holds its text (`_written`): a trace's `hovertext`, or a place in its `customdata`."""
    entry = REGISTRY[metric]
    if entry.format == "money":
        return f"{entry.label}: %{{{value}}}"
    return f"{entry.label}: %{{{value}:{_HOVER.get(entry.format, ',')}}}"


WEEK_HOVER = "Week of %{customdata}<br>"


def _weekly_hover(metric: str, values: Iterable[float] = (), before: str = WEEK_HOVER) -> dict[str, Any]:
    """A weekly trace of `metric` by `y`'s hover: `before`, then the metric's label and value; an amount is shown as
    written (`_written`), carried in the trace's `hovertext`: an amount's `values` are needed, a rate's are not."""
    if REGISTRY[metric].format == "money":
        return {"hovertemplate": f"{before}{_hover(metric, 'hovertext')}<extra></extra>", "hovertext": _written(values)}
    return {"hovertemplate": f"{before}{_hover(metric, 'y')}<extra></extra>"}


def _ticks(metric: str) -> dict[str, str]:
    fmt = REGISTRY[metric].format
    if fmt == "money":
        return {"tickprefix": prefix(), "tickformat": ",.0f"}
    return _TICKS.get(fmt, {"tickformat": ",.0f"})


def _weeks(weekly: pd.DataFrame) -> dict[str, object]:
    """Each point spans its whole reporting week, so the settling shade lines up with the days it covers."""
    return {
        "x": weekly["week"],
        "xperiod": WEEK_MS,
        "xperiod0": SUNDAY,
        "xperiodalignment": "middle",
        "customdata": pd.to_datetime(weekly["week"]).dt.strftime("%b %-d, %Y"),
    }


def _week_range(figure: go.Figure, weekly: pd.DataFrame, tick_each_week_up_to: int = 8) -> None:
    """The x axis spans exactly the weeks shown, from the first Sunday to the day after the last Saturday. Each week
    is named by its Sunday under the middle of its bar or point while they fit, else every k-th week, counted back
    from the latest so that it is always named. Plotly's own ticks mark days across one or two weeks, or fall on the
    Sundays between bars, where a date reads as the week after it (the last one past the data), and on a static image
    they run into the y axes' labels at the axis' ends. `weekly` may hold several rows a week (one per creator): the
    weeks are counted once each."""
    weeks = pd.to_datetime(weekly["week"]).drop_duplicates().sort_values()
    if not len(weeks):
        return
    figure.update_xaxes(range=[weeks.min(), weeks.max() + pd.Timedelta(days=7)])
    every = -(-len(weeks) // tick_each_week_up_to)
    named = weeks.iloc[::-1].iloc[::every].sort_values()
    figure.update_xaxes(
        tickmode="array",
        tickvals=named + pd.Timedelta(hours=84),  # the middle of each week, under its bar
        ticktext=named.dt.strftime("%b %-d"),
    )


def mark_settling(figure: go.Figure, first: date, last: date) -> go.Figure:
    """Shade the days Amazon may still restate, with a note saying so."""
    end = last + timedelta(days=1)
    figure.add_vrect(x0=first, x1=end, fillcolor=SETTLING_FILL, line_width=0, layer="below")
    # Above the plot, right-aligned with the shade, so the note never covers data or runs off the chart.
    figure.add_annotation(
        x=end,
        xref="x",
        y=1,
        yref="paper",
        xanchor="right",
        yanchor="bottom",
        text="Still settling",
        showarrow=False,
        font={"size": 12, "color": MUTED},
    )
    return figure


EVENT_FILL = "rgba(240, 140, 0, 0.12)"
# One character of an event's name (11-12 px text, about 7 px wide) as a share of a half-width chart's plot area
# (about 330 px between its axes), and the height of a row of names.
EVENT_CHAR_SHARE = 7 / 330
EVENT_ROW_PIXELS = 15


def mark_events(figure: go.Figure, events: pd.DataFrame) -> go.Figure:
    """Shade each event (`events`: name, start, end, inclusive days) to the end of its last day, named above the
    plot; the names come from a file and are shown literally. Only events within the days the figure's traces
    cover are drawn, clipped to them: a shape outside would stretch the axis."""
    traces = [trace for trace in figure.data if trace.x is not None and len(trace.x)]
    if not traces:
        return figure
    days = [pd.to_datetime(pd.Series(trace.x)) for trace in traces]
    span_first = min(d.min() for d in days)
    # A weekly point stands for its whole Sunday-to-Saturday week (`_weeks`), to the day after its Saturday.
    weekly = any(getattr(trace, "xperiod", None) == WEEK_MS for trace in traces)
    span_end = max(d.max() for d in days) + pd.Timedelta(days=7 if weekly else 1)
    # Names close together go on rows one above the other rather than over each other, or over a note already
    # above the plot ("Still settling"): a name's width is guessed from its length, as a share of a half-width
    # chart's (the narrowest these are drawn at).
    day_width = (span_end - span_first) * EVENT_CHAR_SHARE
    rows: list[list[tuple[pd.Timestamp, pd.Timestamp]]] = [_notes_above(figure, day_width)]
    for event in events.sort_values("start").itertuples(index=False):
        first = max(pd.Timestamp(event.start), span_first)
        last = min(pd.Timestamp(event.end) + pd.Timedelta(days=1), span_end)
        if first >= last:
            continue
        figure.add_vrect(x0=first, x1=last, fillcolor=EVENT_FILL, line_width=0, layer="below")
        text = plain_label(event.name)
        width = day_width * (len(str(event.name)) + 2)
        # Written rightwards from the event's first day, or leftwards from its end when that fits on a lower row of
        # names, or when rightwards would run past the plot's right edge.
        placements = [(False, (first, first + width))] if first + width <= span_end else []
        placements.append((True, (last - width, last)))
        row, right, label = min((_free_row(rows, span), right, span) for right, span in placements)
        if row == len(rows):
            rows.append([])
        rows[row].append(label)
        figure.add_annotation(
            x=last if right else first,
            xref="x",
            y=1,
            yref="paper",
            yshift=EVENT_ROW_PIXELS * row,
            xanchor="right" if right else "left",
            yanchor="bottom",
            text=text,
            showarrow=False,
            font={"size": 11, "color": MUTED},
        )
    # Rows of names above the first go into the top margin: it grows so they stay under the title.
    needed = TITLE_PIXELS + title_lines_below(figure) + EVENT_ROW_PIXELS * len(rows) + 4
    if needed > (figure.layout.margin.t or 0):
        figure.update_layout(margin_t=needed)
    return figure


def _free_row(rows: list[list[tuple[pd.Timestamp, pd.Timestamp]]], label: tuple[pd.Timestamp, pd.Timestamp]) -> int:
    """The lowest row of names where `label` overlaps none (a new row past the last)."""
    return next((i for i, taken in enumerate(rows) if not any(_overlap(label, t) for t in taken)), len(rows))


def _overlap(a: tuple[pd.Timestamp, pd.Timestamp], b: tuple[pd.Timestamp, pd.Timestamp]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _notes_above(figure: go.Figure, day_width: pd.Timedelta) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The spans of the notes already written just above the plot (`mark_settling`'s), as event names measure
    theirs."""
    spans = []
    for note in figure.layout.annotations:
        if note.yref != "paper" or note.y != 1 or note.x is None or note.yshift:
            continue
        width = day_width * (len(str(note.text)) + 2)
        at = pd.Timestamp(note.x)
        spans.append((at - width, at) if note.xanchor == "right" else (at, at + width))
    return spans


def weekly_bars_with_rate(
    weekly: pd.DataFrame,
    bar: str,
    rate: str,
    title: str,
    bar_colour: str,
    rate_colour: str = MUTED,
    settling: tuple[date, date] | None = None,
) -> go.Figure:
    """One bar per reporting week for a sum (revenue), with a rate (commission share) as a line on a right axis."""
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_trace(
        go.Bar(
            **_weeks(weekly),
            y=weekly[bar].astype("float64"),
            name=REGISTRY[bar].label,
            marker_color=bar_colour,
            width=WEEK_BAR,
            **_weekly_hover(bar, weekly[bar]),
        ),
        secondary_y=False,
    )
    figure.add_trace(
        go.Scatter(
            **_weeks(weekly),
            y=weekly[rate],
            name=REGISTRY[rate].label,
            mode="lines+markers",
            line={"color": rate_colour, "width": 2},
            marker={"size": 6},
            **_weekly_hover(rate, weekly[rate]),
        ),
        secondary_y=True,
    )
    # Titles can carry a creator's name from an upload: Plotly reads tags in text, so it is escaped.
    styled(figure, html.escape(title), "Week (Sunday to Saturday)", axis_title(bar))
    # Bars keep to the lower part of the plot and the rate line to the upper part, so neither hides the other.
    bar_top = float(weekly[bar].astype("float64").max()) if len(weekly) else 0.0
    rate_top = float(weekly[rate].astype("float64").max()) if weekly[rate].notna().any() else 0.0
    figure.update_yaxes(secondary_y=False, range=[0, bar_top * 1.45 or 1], **_ticks(bar))
    if not bar_top:
        figure.update_yaxes(secondary_y=False, tickvals=[0])
    figure.update_yaxes(
        secondary_y=True,
        title_text=axis_title(rate),
        range=[0, rate_top * 1.1 or 0.01],
        tickmode="auto",
        nticks=6,
        showgrid=False,
        **_ticks(rate),
    )
    # The legend goes under the axis title, so the space above the plot is left to the settling note.
    figure.update_layout(
        legend={"y": -0.3, "yanchor": "top", "x": 0, "xanchor": "left"},
        height=400 + title_lines_below(figure),
        margin={"b": 90},
    )
    _week_range(figure, weekly)
    if settling:
        mark_settling(figure, *settling)
    return figure


def weekly_rate_line(
    weekly: pd.DataFrame,
    rate: str,
    title: str,
    colour: str,
    settling: tuple[date, date] | None = None,
) -> go.Figure:
    """A rate (conversion rate) per reporting week as a line, from zero so small moves are not overdrawn."""
    figure = go.Figure(
        go.Scatter(
            **_weeks(weekly),
            y=weekly[rate],
            name=REGISTRY[rate].label,
            mode="lines+markers",
            line={"color": colour, "width": 2},
            marker={"size": 6},
            **_weekly_hover(rate, weekly[rate]),
        )
    )
    # As tall as `weekly_bars_with_rate`, which it sits beside on the overview.
    styled(figure, html.escape(title), "Week (Sunday to Saturday)", axis_title(rate), height=400)
    figure.update_yaxes(rangemode="tozero", **_ticks(rate))
    _week_range(figure, weekly)
    if settling:
        mark_settling(figure, *settling)
    return figure


def sales_through_creators(weekly: pd.DataFrame, title: str, creators_colour: str) -> go.Figure:
    """All sales per reporting week (the sales files' total revenue) as grey bars, the part that came through
    creators over the same days drawn inside them, and the creators' share as a line on a right axis. `weekly`:
    week, total_revenue and creator_sales_share (`metrics.sales.period_metrics` by week)."""
    total = weekly["total_revenue"].astype("float64")
    share = weekly["creator_sales_share"].astype("float64")
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    for name, values, colour, width in (
        ("All sales", total, NOT_AVAILABLE, 0.8),
        ("Through creators", total * share, creators_colour, 0.5),
    ):
        figure.add_trace(
            go.Bar(
                **_weeks(weekly),
                y=values,
                name=name,
                marker_color=colour,
                width=WEEK_MS * width,
                hovertemplate=f"{WEEK_HOVER}{name}: %{{hovertext}}<extra></extra>",
                hovertext=_written(values),
            ),
            secondary_y=False,
        )
    figure.add_trace(
        go.Scatter(
            **_weeks(weekly),
            y=share,
            name=REGISTRY["creator_sales_share"].label,
            mode="lines+markers",
            line={"color": MUTED, "width": 2},
            marker={"size": 6},
            **_weekly_hover("creator_sales_share"),
        ),
        secondary_y=True,
    )
    styled(figure, html.escape(title), "Week (Sunday to Saturday)", f"Revenue ({currency()})")
    figure.update_layout(barmode="overlay", legend={"y": -0.3, "yanchor": "top", "x": 0, "xanchor": "left"})
    figure.update_layout(height=400 + title_lines_below(figure), margin={"b": 90})
    figure.update_yaxes(secondary_y=False, rangemode="tozero", **_ticks("total_revenue"))
    figure.update_yaxes(
        secondary_y=True,
        title_text=axis_title("creator_sales_share"),
        range=[0, max(float(share.max()) * 1.1, 0.01) if share.notna().any() else 1],
        # Ticks of its own at round figures (as `weekly_bars_with_rate`'s), not fractions of the left axis's.
        tickmode="auto",
        nticks=6,
        showgrid=False,
        **_ticks("creator_sales_share"),
    )
    _week_range(figure, weekly)
    return figure


def search_beside_clicks(weekly: pd.DataFrame, clicks_colour: str, search_colour: str = MUTED) -> go.Figure:
    """Creator clicks per reporting week as bars on the left axis and branded search volume as a line on the right
    one, each from zero on its own scale: the two counts differ by orders of magnitude. Under them, when the weeks
    have it, the brand's click share on the queries without its terms: demand the creators stir that the searches
    for the brand's name miss."""
    share = weekly["brand_click_share"].astype("float64") if "brand_click_share" in weekly else None
    with_share = share is not None and bool(share.notna().any())
    figure = (
        make_subplots(
            rows=2,
            cols=1,
            shared_xaxes=True,
            row_heights=[0.7, 0.3],
            vertical_spacing=0.12,
            specs=[[{"secondary_y": True}], [{}]],
        )
        if with_share
        else make_subplots(specs=[[{"secondary_y": True}]])
    )
    top = {"row": 1, "col": 1}
    figure.add_trace(
        go.Bar(
            **_weeks(weekly),
            y=weekly["clicks"].astype("float64"),
            name="Creator clicks",
            marker_color=clicks_colour,
            width=WEEK_BAR,
            hovertemplate=f"{WEEK_HOVER}Creator clicks: %{{y:,.0f}}<extra></extra>",
        ),
        secondary_y=False,
        **top,
    )
    figure.add_trace(
        go.Scatter(
            **_weeks(weekly),
            y=weekly["branded_search_volume"].astype("float64"),
            name=REGISTRY["branded_search_volume"].label,
            mode="lines+markers",
            line={"color": search_colour, "width": 2},
            marker={"size": 6},
            connectgaps=False,
            hovertemplate=f"{WEEK_HOVER}Branded searches: %{{y:,.0f}}<extra></extra>",
        ),
        secondary_y=True,
        **top,
    )
    if with_share:
        figure.add_trace(
            go.Scatter(
                **_weeks(weekly),
                y=share,
                name=f"{REGISTRY['brand_click_share'].label} (other queries)",
                mode="lines+markers",
                line={"color": PALETTE[2], "width": 2},
                marker={"size": 5},
                connectgaps=False,
                **_weekly_hover("brand_click_share"),
            ),
            row=2,
            col=1,
        )
    title = "Branded search beside creator clicks by week"
    styled(figure, title, "Week (Sunday to Saturday)", "Creator clicks (clicks per week)")
    # As in `weekly_bars_with_rate`: bars keep to the lower part of the plot, the line to the upper part.
    clicks_top = float(weekly["clicks"].astype("float64").max()) if weekly["clicks"].notna().any() else 0.0
    search = weekly["branded_search_volume"].astype("float64")
    search_top = float(search.max()) if search.notna().any() else 0.0
    figure.update_yaxes(secondary_y=False, range=[0, clicks_top * 1.45 or 1], tickformat=",.0f", **top)
    figure.update_yaxes(
        secondary_y=True,
        # Short enough to fit the review's 340-pixel-high chart as well as the page's.
        title_text="Branded searches (per week)",
        range=[0, search_top * 1.1 or 1],
        tickmode="auto",
        nticks=6,
        tickformat=",.0f",
        showgrid=False,
        **top,
    )
    height = 360
    if with_share and share is not None:
        height = 500
        figure.update_xaxes(title_text=None, **top)  # the weeks are named once, under the lower plot
        figure.update_yaxes(
            title_text="Click share",
            range=[0, max(float(share.max()) * 1.2, 0.01)],
            nticks=4,
            row=2,
            col=1,
            **_ticks("brand_click_share"),
        )
    figure.update_layout(
        legend={"y": -0.3 * 360 / height, "yanchor": "top", "x": 0, "xanchor": "left"},
        height=height + title_lines_below(figure),
        margin={"b": 90},
    )
    _week_range(figure, weekly)
    return figure


NAMED_TARGETS = 3


# The opacity of a creator whose conversion rate rests on few clicks, and the line its hover adds.
FADED = 0.3
FEW_CLICKS_HOVER = f"<br><i>Under {FEW_CLICKS} clicks: a sign, not a measure</i>"


def creator_scatter(creators: pd.DataFrame, height: int = 460) -> go.Figure:
    """Conversion rate against revenue per creator: size = clicks, colour = new-to-brand %, outreach targets marked.

    `creators` has creator, revenue, conversion_rate, clicks, ntb_pct and outreach_target columns. Each trace
    holds one kind of marker, so symbol and outline are one value per trace and the per-point arrays are plain
    numbers: Plotly checks every element of a text or symbol array, seconds for thousands of creators. A creator
    with fewer than FEW_CLICKS clicks is faded: its height is a sign, not a measure.
    """
    figure = go.Figure()
    clicks = creators["clicks"].astype("float64").fillna(0)
    size_ref = 2.0 * max(float(clicks.max()), 1.0) / 44.0**2
    known = creators["ntb_pct"].notna()
    targets = creators["outreach_target"].astype(bool)
    # Only the largest few targets are named, since names in a cluster overprint; and the creator with the most
    # clicks, whatever they sold: at no revenue and no conversion, the likeliest subject of a finding, they sat
    # unnamed in the chart's corner.
    order = creators["revenue"].astype("float64").where(targets).rank(method="first", ascending=False)
    named = order <= NAMED_TARGETS
    if len(creators) and clicks.max() > 0:
        named.loc[clicks.idxmax()] = True
    if known.any():
        figure.update_layout(
            coloraxis={
                "colorscale": "Viridis",
                # The whole 0–100 %: a colour means one share whatever the filters, and a creator shown alone is
                # not painted as the scale's top.
                "cmin": 0,
                "cmax": 1,
                # Its title beside the bar, not over it: on a phone's width the title's own width halved the plot.
                "colorbar": {
                    "title": {"text": axis_title("ntb_pct"), "side": "right"},
                    "tickformat": ".0%",
                    "thickness": 14,
                },
            }
        )
    for is_target in (False, True):
        for has_ntb in (True, False):
            part = creators[(targets == is_target) & (known == has_ntb)]
            if part.empty:
                continue
            marker: dict[str, object] = {
                "size": clicks[part.index].to_numpy(),
                "sizemode": "area",
                "sizeref": size_ref,
                "sizemin": 4,
                "opacity": clicks[part.index].lt(FEW_CLICKS).map({True: FADED, False: 0.85}).to_numpy("float64"),
                "line": {"width": 2.0 if is_target else 0.5, "color": "#212529"},
                "symbol": "diamond" if is_target else "circle",
            }
            if has_ntb:
                marker.update(color=part["ntb_pct"].to_numpy("float64"), coloraxis="coloraxis")
            else:
                marker["color"] = NOT_AVAILABLE
            # A marker or name at the plot's edge (a creator at $0 and 0 %) runs past it instead of being cut.
            labels: dict[str, object] = {"mode": "markers", "cliponaxis": False}
            if named[part.index].any():
                rank = order[part.index].fillna(1)
                labels |= {
                    "mode": "markers+text",
                    "text": part["creator"].where(named[part.index], "").map(html.escape).tolist(),
                    "textposition": ["bottom center" if r % 2 == 0 else "top center" for r in rank],
                    "textfont": {"size": 11, "color": MUTED},
                }
            hover = pd.DataFrame(
                {
                    "clicks": clicks[part.index],
                    "ntb": part["ntb_pct"],
                    "creator": part["creator"].map(html.escape),
                    "few": clicks[part.index].lt(FEW_CLICKS).map({True: FEW_CLICKS_HOVER, False: ""}),
                    "revenue": _written(part["revenue"]),
                }
            )
            figure.add_trace(
                go.Scatter(
                    x=part["revenue"].to_numpy("float64"),
                    y=part["conversion_rate"].to_numpy("float64", na_value=float("nan")),
                    customdata=hover.to_numpy(object),
                    marker=marker,
                    name="New-to-brand % not available" if not has_ntb else "Creators",
                    legendgroup="not_available" if not has_ntb else None,
                    showlegend=not has_ntb and not is_target,
                    hovertemplate=(
                        "<b>%{customdata[2]}</b><br>"
                        + _hover("revenue", "customdata[4]")
                        + "<br>"
                        + _hover("conversion_rate", "y")
                        + "<br>"
                        + _hover("clicks", "customdata[0]")
                        + "<br>"
                        + (_hover("ntb_pct", "customdata[1]") if has_ntb else "New-to-brand %: not available")
                        + "%{customdata[3]}<extra></extra>"
                    ),
                    **labels,
                )
            )
    # A legend entry for the diamonds, drawn off the data.
    figure.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "diamond", "size": 12, "color": "white", "line": {"width": 2, "color": "#212529"}},
            name="Outreach target",
            hoverinfo="skip",
        )
    )
    styled(figure, "Conversion rate against revenue by creator", axis_title("revenue"), axis_title("conversion_rate"))
    figure.update_layout(height=height + title_lines_below(figure))
    figure.update_xaxes(rangemode="tozero", showgrid=True, gridcolor="#EEE", **_ticks("revenue"))
    figure.update_yaxes(rangemode="tozero", **_ticks("conversion_rate"))
    return figure


def line_concentration(
    shares: pd.DataFrame, colours: dict[str, str], threshold: float, line_order: Iterable[str] | None = None
) -> go.Figure:
    """Each product line as one 100 % bar split into its ASINs' shares of the line's revenue, top seller first.

    `shares` is `analytics.review.asin_shares_within_line`, its tail folded by `review.fold_line_tail`. A dashed
    rule marks `threshold`: a line whose first segment crosses it is carried by one ASIN.
    """
    present = set(shares["product_line"])
    lines = [line for line in line_order if line in present] if line_order is not None else sorted(present)
    figure = go.Figure()
    # One trace per position in the line (top seller, second, ...), not per ASIN: a catalog of thousands of
    # ASINs would otherwise draw thousands of traces.
    for rank, segment in shares.groupby("line_rank", sort=True):
        titles = [
            html.escape(title) if isinstance(title, str) and title else "not in the catalog"
            for title in segment["title"]
        ]
        asins = [html.escape(asin) for asin in segment["asin"]]
        figure.add_trace(
            go.Bar(
                x=segment["line_share"].tolist(),
                y=[html.escape(line) for line in segment["product_line"]],
                orientation="h",
                name=f"ASIN #{rank} of its line",
                text=[asin if share >= 0.12 else "" for asin, share in zip(asins, segment["line_share"], strict=True)],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": "white", "size": 11},
                marker={
                    "color": [colours.get(line, PALETTE[-1]) for line in segment["product_line"]],
                    "opacity": 1.0 if rank == 1 else 0.55,
                    "line": {"color": "white", "width": 1.5},
                },
                customdata=list(zip(asins, titles, _written(segment["revenue"]), strict=True)),
                hovertemplate=(
                    "<b>%{customdata[0]}</b> %{customdata[1]}<br>%{y}<br>"
                    + _hover("revenue", "customdata[2]")
                    + "<br>Share of the line's revenue: %{x:.1%}<extra></extra>"
                ),
                showlegend=False,
            )
        )
    figure.add_vline(x=threshold, line={"color": "#212529", "width": 1.5, "dash": "dash"})
    figure.add_annotation(
        x=threshold,
        y=1,
        yref="paper",
        xanchor="left",
        yanchor="bottom",
        text=f"{threshold:.0%}: one ASIN carries the line",
        showarrow=False,
        font={"size": 12, "color": MUTED},
    )
    styled(
        figure,
        "How each product line's revenue splits across its ASINs",
        "Share of the line's attributed revenue (%)",
        "Product line",
        height=110 + 48 * max(len(lines), 1),
    )
    figure.update_layout(barmode="stack", bargap=0.35)
    figure.update_xaxes(range=[0, 1], tickformat=".0%", showgrid=True, gridcolor="#EEE")
    figure.update_yaxes(
        categoryorder="array",
        categoryarray=[html.escape(line) for line in reversed(lines)],
        gridcolor="rgba(0,0,0,0)",
    )
    return figure


# --- Customers and organic rank charts ------------------------------------------------------------------------

ATTRIBUTED_COLOUR = PALETTE[0]
BASELINE_COLOUR = PALETTE[-1]
BEFORE_FILL = "rgba(134, 142, 150, 0.14)"
AFTER_FILL = "rgba(47, 158, 68, 0.12)"


def plain_label(text: object) -> str:
    """A name from a file, shown literally on a chart: Plotly reads a subset of HTML in labels."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attributed_vs_baseline(
    rows: pd.DataFrame,
    group: str,
    metric: str,
    baseline: str,
    title: str,
    value_title: str,
    group_title: str,
) -> go.Figure:
    """A rate of creator-attributed buyers per group (horizontal bars, first row on top) against its baseline.

    The baseline is a grey bar beside each group's; where it is the same for every group (creators do not
    partition the baseline), it is drawn once as a dashed rule instead.
    """
    names = rows[group].map(plain_label)
    orders = rows["orders"].astype("float64") if "orders" in rows else pd.Series(float("nan"), index=rows.index)
    figure = go.Figure(
        go.Bar(
            x=rows[metric],
            y=names,
            orientation="h",
            name="Creator-attributed buyers",
            marker_color=ATTRIBUTED_COLOUR,
            customdata=orders,
            hovertemplate="%{y}<br>Creator-attributed buyers: %{x:.1%}<br>"
            + REGISTRY["orders"].label
            + ": %{customdata:,.0f}<extra></extra>",
        )
    )
    levels = rows[baseline].dropna().unique()
    uniform = len(levels) == 1 and rows[baseline].notna().all()
    if uniform and len(rows) > 1:
        figure.add_vline(x=float(levels[0]), line={"color": BASELINE_COLOUR, "width": 2, "dash": "dash"})
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line={"color": BASELINE_COLOUR, "width": 2, "dash": "dash"},
                name=f"All buyers (baseline): {float(levels[0]):.1%}",
            )
        )
        bars = 1
    elif len(levels):
        figure.add_trace(
            go.Bar(
                x=rows[baseline],
                y=names,
                orientation="h",
                name="All buyers (baseline)",
                marker_color=BASELINE_COLOUR,
                hovertemplate="%{y}<br>All buyers (baseline): %{x:.1%}<extra></extra>",
            )
        )
        bars = 2
    else:
        bars = 1
    styled(figure, title, value_title, group_title, height=150 + max(len(rows), 1) * (16 + 12 * bars))
    figure.update_layout(
        barmode="group",
        bargap=0.3,
        showlegend=True,
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"},
        margin={"t": 90 + title_lines_below(figure)},
    )
    figure.update_xaxes(tickformat=".0%", rangemode="tozero", showgrid=True, gridcolor="#EEE")
    figure.update_yaxes(autorange="reversed", automargin=True, gridcolor="rgba(0,0,0,0)")
    return figure


def broken_at_gaps(readings: pd.DataFrame, column: str = "date") -> pd.DataFrame:
    """`readings` (sorted by `column`) with an empty row one step after each reading that is followed by a gap
    longer than its usual spacing (1.5 times the median step): with `connectgaps=False`, a line stops there rather
    than run straight across weeks or months that have no reading."""
    if len(readings) < 2:
        return readings
    days = pd.to_datetime(readings[column])
    steps = days.diff()
    step = max(steps.median(), pd.Timedelta(days=1))
    gap_after = (steps.shift(-1) > step * 1.5).to_numpy()
    if not gap_after.any():
        return readings
    after = days[gap_after] + step
    as_dates = not pd.api.types.is_datetime64_any_dtype(readings[column])
    breaks = pd.DataFrame({column: after.dt.date.to_numpy() if as_dates else after.to_numpy()})
    joined = pd.concat([readings.assign(_at=days.to_numpy()), breaks.assign(_at=pd.to_datetime(breaks[column]))])
    return joined.sort_values("_at", kind="stable").drop(columns="_at").reset_index(drop=True)


def rank_over_time(
    history: pd.DataFrame,
    colours: dict[str, str],
    title: str,
    activation: date | None = None,
    before: tuple[date, date] | None = None,
    after: tuple[date, date] | None = None,
) -> go.Figure:
    """Organic rank per keyword over time, rank 1 at the top; activation marked and its windows shaded.

    `history` has date, keyword and organic_rank (null = not ranked, drawn as a gap). The windows are inclusive
    day ranges, shaded to the end of their last day. The title may hold a product title from a file: it is
    shown literally.
    """
    figure = go.Figure()
    for keyword, readings in history.groupby("keyword", sort=True):
        name = plain_label(keyword)
        rows = broken_at_gaps(readings)
        figure.add_trace(
            go.Scatter(
                x=rows["date"],
                y=rows["organic_rank"].astype("float64"),
                mode="lines",
                name=name,
                connectgaps=False,
                line={"color": colours.get(str(keyword), PALETTE[-1]), "width": 2},
                hovertemplate=f"{name}<br>%{{x|%b %-d, %Y}}: position %{{y:.0f}}<extra></extra>",
            )
        )
    # Each window's name sits on its side of activation (before: against its right edge, after: its left edge), so
    # the two never run into each other however narrow the windows are on a long axis.
    for window, fill, text, position in (
        (before, BEFORE_FILL, "Before", "top right"),
        (after, AFTER_FILL, "After", "top left"),
    ):
        if window:
            figure.add_vrect(
                x0=window[0],
                x1=window[1] + timedelta(days=1),
                fillcolor=fill,
                line_width=0,
                layer="below",
                annotation_text=f"{text} ({(window[1] - window[0]).days + 1} days)",
                annotation_position=position,
                annotation_font={"size": 12, "color": MUTED},
            )
    if activation:
        # add_vline's own annotation fails on date axes (plotly/plotly.py#3065): the label is added separately.
        figure.add_shape(
            type="line",
            x0=activation,
            x1=activation,
            y0=0,
            y1=1,
            yref="paper",
            line={"color": "#212529", "width": 2, "dash": "dash"},
        )
        figure.add_annotation(
            x=activation,
            y=0,
            yref="paper",
            yanchor="bottom",
            xanchor="left",
            text=f"Activated {activation:%b %-d, %Y}",
            showarrow=False,
            font={"size": 12, "color": "#212529"},
            bgcolor="rgba(255,255,255,0.8)",
        )
    styled(figure, plain_label(title), "Date", "Organic rank (position)", height=440)
    # The keywords' legend at the figure's foot, under the axis title: on a phone it takes several rows, and the
    # margin grows with them.
    figure.update_layout(
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0}, margin={"b": 90}
    )
    figure.update_yaxes(autorange="reversed", tickformat=",d")
    figure.update_xaxes(showgrid=True, gridcolor="#F4F4F4")
    return figure


def weekly_lines(
    weekly: pd.DataFrame,
    by: str,
    metric: str,
    title: str,
    colours: dict[str, str],
    settling: tuple[date, date] | None = None,
) -> go.Figure:
    """One line per `by` value (a creator) of a metric per reporting week, in the order the rows come; a week
    without a value (a rate with no clicks) is a gap in its line, never a straight line across it. Each line takes
    its colour from `colours` (a creator's colour on every page) unless two of them would share one: then the
    palette's, in order, so every line can be told apart."""
    figure = go.Figure()
    names = [str(name) for name in weekly[by].drop_duplicates()]
    preferred = [colours.get(name, PALETTE[-1]) for name in names]
    in_order = [PALETTE[i % len(PALETTE)] for i in range(len(names))]
    line_colours = dict(zip(names, preferred if len(set(preferred)) == len(preferred) else in_order, strict=True))
    for name, rows in weekly.groupby(by, sort=False):
        label = plain_label(name)
        figure.add_trace(
            go.Scatter(
                **_weeks(rows),
                y=rows[metric].astype("float64"),
                name=label,
                mode="lines+markers",
                connectgaps=False,
                line={"color": line_colours[str(name)], "width": 2},
                marker={"size": 6},
                **_weekly_hover(metric, rows[metric], before=f"{label}<br>{WEEK_HOVER}"),
            )
        )
    styled(figure, plain_label(title), "Week (Sunday to Saturday)", axis_title(metric), height=420)
    top = float(weekly[metric].astype("float64").max()) if weekly[metric].notna().any() else 0.0
    figure.update_yaxes(rangemode="tozero", range=[0, top * 1.1 or 1], **_ticks(metric))
    figure.update_layout(legend={"y": -0.22, "yanchor": "top", "x": 0, "xanchor": "left"}, margin={"b": 90})
    _week_range(figure, weekly)
    if settling:
        mark_settling(figure, *settling)
    return figure


HEALTH_SERIES = ("creators_active", "creators_new", "creators_lapsed")


def program_health_lines(health: pd.DataFrame, colours: tuple[str, ...] = (PALETTE[0], PALETTE[2], MUTED)) -> go.Figure:
    """Active, new and lapsed creators per reporting week (`metrics.health.program_health`), one line each: a
    program that stops recruiting shows its new line at zero while the lapsed line climbs."""
    figure = go.Figure()
    for metric, colour in zip(HEALTH_SERIES, colours, strict=True):
        label = REGISTRY[metric].label
        figure.add_trace(
            go.Scatter(
                **_weeks(health),
                y=health[metric].astype("float64"),
                name=label,
                mode="lines+markers",
                # Lapsed, drawn last, is dashed: where it equals the new creators (often both 0) both still show.
                line={"color": colour, "width": 2, "dash": "dash" if metric == "creators_lapsed" else "solid"},
                marker={"size": 5},
                hovertemplate=f"Week of %{{customdata}}<br>{label}: %{{y:,.0f}}<extra></extra>",
            )
        )
    styled(figure, "Creators active, new and lapsed by week", "Week (Sunday to Saturday)", "Creators", height=340)
    figure.update_yaxes(rangemode="tozero", tickformat=",.0f")
    # Under the axis title, as on the weekly charts, not over it.
    figure.update_layout(legend={"y": -0.3, "yanchor": "top", "x": 0, "xanchor": "left"}, margin={"b": 90})
    _week_range(figure, health, tick_each_week_up_to=13)
    return figure


def rate_steps(history: pd.DataFrame, until: date, title: str) -> go.Figure:
    """An ASIN's bonus and standard rates as steps: each holds from its effective date to the next, the last one
    drawn to `until` (the period's last day) when that comes later. `history` is `asin_rate_history`."""
    steps = history.sort_values("effective_date")
    days = pd.to_datetime(steps["effective_date"]).tolist()
    # A marker on each change only, none on the point that carries the last rate to `until`.
    markers = [6] * len(days)
    if days and pd.Timestamp(until) > days[-1]:
        days.append(pd.Timestamp(until))
        markers.append(0)
        steps = pd.concat([steps, steps.tail(1)], ignore_index=True)
    figure = go.Figure()
    for column, name, colour in (
        ("bonus_rate", "Bonus rate", PALETTE[0]),
        ("standard_rate", "Standard rate", PALETTE[-1]),
    ):
        figure.add_trace(
            go.Scatter(
                x=days,
                y=steps[column],
                name=name,
                mode="lines+markers",
                line={"color": colour, "width": 2, "shape": "hv"},
                marker={"size": markers},
                hovertemplate=f"%{{x|%b %-d, %Y}}<br>{name}: %{{y:.1%}}<extra></extra>",
            )
        )
    styled(figure, html.escape(title), "Effective from", "Rate (%)", height=320)
    figure.update_yaxes(rangemode="tozero", tickformat=".1~%")
    # The year under the day: on a phone the one-line dates turned on end into the legend and were cut short. The
    # legend goes to the figure's foot, under the two lines and the axis title.
    figure.update_xaxes(tickformat="%b %-d<br>%Y")
    figure.update_layout(margin={"b": 95}, legend={"yref": "container", "y": 0, "yanchor": "bottom"})
    if days and max(days) - min(days) < pd.Timedelta(days=7):
        # A day or a few alone would stretch to an axis of hours or milliseconds: a week either side of them.
        figure.update_xaxes(range=[min(days) - pd.Timedelta(days=7), max(days) + pd.Timedelta(days=7)])
    return figure
