"""The weekly report's HTML: one page with its styles inline, laid out for the screen and for A4 or Letter paper."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from datetime import UTC
from typing import TYPE_CHECKING, Literal

import pandas as pd

from analytics.contract.kinds import UNASSIGNED_PRODUCT_LINE, program_label
from analytics.figures import points_between
from analytics.ingest.uploads import kind_labels
from analytics.metrics.campaigns import PACE_DAYS, status_labels, unlisted_note, with_ledger_ends
from analytics.metrics.grouped import REGISTRY
from analytics.present.formatting import MISSING, format_delta, format_value
from analytics.review import customer_value, screens
from analytics.review.insights import SEVERITY_WORDS, Insight, sharing_advice
from analytics.words import day_words, in_words, plural, range_words

if TYPE_CHECKING:
    from analytics.present.report import WeeklyReport

# The Products page's sales columns the review's top products carry, where a sales file covers the period.
REVIEW_SALES_COLUMNS = ("total_revenue", "creator_sales_share")

# The weekly review's cards, on the Overview and in the report, in three rows: what the channel sold, what it cost,
# and who bought. The second word is how a change is coloured: "normal" (up is good), "inverse" (up is bad:
# commission share), "off" (neither: commission spend is judged by the share).
DeltaColour = Literal["normal", "inverse", "off"]
KPI_ROWS: tuple[tuple[tuple[str, DeltaColour], ...], ...] = (
    (("revenue", "normal"), ("orders", "normal"), ("clicks", "normal")),
    (("conversion_rate", "normal"), ("commission", "off"), ("commission_share", "inverse")),
    (("ntb_pct", "normal"), ("sns_rate", "normal"), ("repeat_rate", "normal")),
)

TOP_CAMPAIGNS = 12

# Print: the page box is the printer's paper (A4 or Letter) less 12 mm margins, 186 mm at the narrowest, and
# everything below fits that width; cards, charts and table rows are never split across pages.
STYLE = """
@page { size: auto; margin: 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: Arial, "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.35;
       color: #212529; margin: 0 auto; padding: 24px; max-width: 1000px; }
h1 { font-size: 19pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 1px solid #dee2e6;
     break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 2mm; }
.lead { color: #495057; }
.note { color: #495057; font-size: 9.5pt; }
h3 { break-after: avoid; page-break-after: avoid; }
/* A table's note under it, and the footer under the last section, never start a page of their own. */
table + .note, .scroll + .note, dl + .note, footer { break-before: avoid; page-break-before: avoid; }
.keep-with-next { break-after: avoid; page-break-after: avoid; }
.together { break-inside: avoid; page-break-inside: avoid; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(48mm, 1fr)); gap: 3mm; margin: 3mm 0; }
.card { border: 1px solid #dee2e6; border-radius: 6px; padding: 2.5mm 3mm; break-inside: avoid;
        page-break-inside: avoid; }
.card .label { font-size: 9.5pt; color: #495057; }
.card .value { font-size: 17pt; font-weight: bold; margin: 1mm 0; white-space: nowrap; }
.card .delta { font-size: 9.5pt; }
.good { color: #2b8a3e; }
.bad { color: #c92a2a; }
.flat { color: #495057; }
figure.chart { margin: 0 0 4mm; break-inside: avoid; page-break-inside: avoid; }
figure.chart img { display: block; width: 100%; max-width: 720px; height: auto; }
.finding { border-left: 4px solid #868e96; padding: 1mm 0 1mm 3mm; margin: 0 0 3mm; break-inside: avoid;
           page-break-inside: avoid; }
.finding.warning { border-color: #f08c00; }
.finding.opportunity { border-color: #2f9e44; }
.finding.info { border-color: #1c7ed6; }
.finding .severity { font-weight: bold; font-size: 9pt; text-transform: uppercase; color: #495057; }
.finding .action { color: #495057; }
.finding ul.titles { margin: 0.5mm 0; padding-left: 5mm; }
.finding ul.titles li { margin: 0 0 1mm; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; margin: 1mm 0 2mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { padding: 1.2mm 1.5mm; border-bottom: 1px solid #e9ecef; vertical-align: top; text-align: left; }
th { font-weight: bold; color: #495057; border-bottom: 1px solid #adb5bd; }
td.text { overflow-wrap: break-word; }
th.number { text-align: right; }
td.number { text-align: right; white-space: nowrap; }
td.date { white-space: nowrap; }
.scroll { overflow-x: auto; }
.phone-only { display: none; }
dl.terms { display: grid; grid-template-columns: max-content 1fr; gap: 1.5mm 4mm; margin: 1mm 0 2mm;
           font-size: 9.5pt; }
dl.terms dt { font-weight: bold; }
dl.terms dd { margin: 0; color: #495057; }
footer { margin-top: 8mm; font-size: 8.5pt; color: #868e96; }
@media print { body { padding: 0; max-width: none; font-size: 10pt; } .scroll { overflow: visible; } }
/* A phone: cards two to a row, and each chart at a width its text can be read at, scrolled sideways in its box.
   A chart's box opens on its left end, its title and left axis: opened on its latest weeks, the bars stood beside
   the right axis alone, revenue read against commission share. A table's box shades the edge its hidden columns
   are behind, so a cut number does not read as a whole one. */
@media screen and (max-width: 640px) {
  body { padding: 12px; font-size: 10pt; }
  .cards { grid-template-columns: 1fr 1fr; gap: 2mm; }
  .card .value { font-size: 14pt; }
  dl.terms { grid-template-columns: 1fr; gap: 0.5mm; }
  dl.terms dd { margin-bottom: 1.5mm; }
  figure.chart { overflow-x: auto; }
  figure.chart img { width: 600px; max-width: none; }
  .phone-only { display: block; }
  .scroll {
    background:
      linear-gradient(to right, #fff 30%, rgba(255, 255, 255, 0)) left / 24px 100% no-repeat local,
      linear-gradient(to left, #fff 30%, rgba(255, 255, 255, 0)) right / 24px 100% no-repeat local,
      radial-gradient(farthest-side at 0 50%, rgba(0, 0, 0, 0.25), transparent) left / 12px 100% no-repeat scroll,
      radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, 0.25), transparent) right / 12px 100% no-repeat scroll;
  }
}
"""


def _e(value: object) -> str:
    """Data text, escaped for HTML (quotes too, so it is safe inside attributes as well)."""
    return html.escape(str(value), quote=True)


def _delta_class(delta: str, colour: str) -> str:
    """good, bad or flat, as the Overview colours a card's change: up is good, except where `colour` says."""
    if colour == "off" or delta.lstrip("+-").startswith("0.0"):
        return "flat"
    up = not delta.startswith("-")
    return "good" if up == (colour == "normal") else "bad"


def _card(report: WeeklyReport, metric: str, colour: str) -> str:
    entry = REGISTRY[metric]
    # A 30-day rate and a 90-day one read alike: the card says which it is.
    window = f'<div class="delta flat">repeat within {report.repeat_days} days</div>' if metric == "repeat_rate" else ""
    value = report.current.get(metric)
    delta = (
        format_delta(
            value, screens.compared_figure(report.previous.get(metric), entry.format, report.cut_short), entry.format
        )
        if report.previous
        else None
    )
    change = '<div class="delta flat">no change to show</div>'
    if metric == "repeat_rate" and report.matured is not None:
        # Another period's buyers, so no change against this period's comparison (the notes say which weeks).
        change = f'<div class="delta flat">{_e(customer_value.matured_card_words(report.matured))}</div>'
    elif delta:
        # A change that rounds to nothing has no arrow, as on the Overview's cards.
        unchanged = delta.lstrip("+-").startswith("0.0")
        arrow = "" if unchanged else ("▼ " if delta.startswith("-") else "▲ ")
        # Against a small part of a period, grey: as on the Overview's cards.
        partial = report.cut_short is not None and report.cut_short.change_uncoloured
        shade = _delta_class(delta, "off" if partial else colour)
        change = f'<div class="delta {shade}">{arrow}{_e(delta)} {_versus(report, entry.format)}</div>'

    return (
        f'<div class="card"><div class="label">{_e(entry.label)}</div>'
        f'<div class="value">{_e(format_value(value, entry.format))}</div>{change}{window}'
        f"{_against_all_buyers(report, metric)}</div>"
    )


def _against_all_buyers(report: WeeklyReport, metric: str) -> str:
    """A customer rate's gap to the same rate over all buyers, as the Customers page's cards show it: whether the
    creators' buyers are worth more than the average buyer is the rate's point."""
    if metric not in customer_value.CUSTOMER_METRICS:
        return ""
    baseline = customer_value.CUSTOMER_METRICS[metric]
    gap = points_between(report.current.get(metric), report.current.get(baseline))
    if gap is None:
        return ""
    shown = format_value(gap, "points")
    all_buyers = format_value(report.current.get(baseline), REGISTRY[baseline].format)
    return f'<div class="delta {_delta_class(shown, "normal")}">{_e(shown)} vs all buyers ({_e(all_buyers)})</div>'


def _versus(report: WeeklyReport, fmt: str | None = None) -> str:
    return screens.versus_words(report.comparison, report.start, report.end, report.cut_short, fmt)


def _filter_words(report: WeeklyReport) -> str:
    parts = [
        (label, values)
        for label, values in (
            ("programs", tuple(map(program_label, report.filters.programs))),
            ("creators", report.filters.creators),
            ("product lines", report.filters.product_lines),
            ("campaigns", report.filters.campaigns),
            ("ASINs", report.filters.asins),
        )
        if values
    ]
    if not parts:
        return ""
    return "Only " + "; ".join(f"{label}: {', '.join(values)}" for label, values in parts) + "."


def _label(metric: str) -> str:
    """A metric's label, as the pages write it."""
    return REGISTRY[metric].label


def _written(metric: str, value: object) -> str:
    """A metric's value in its registry format, as the pages write it."""
    return format_value(value, REGISTRY[metric].format)


def _notes(report: WeeklyReport) -> list[str]:
    """The Overview's caveats under the cards, as plain sentences."""
    notes = []
    if report.asked_end is not None:
        notes.append(
            f"The data runs through {day_words(report.as_of)}: the period asked for ran to "
            f"{day_words(report.asked_end)}, and the report covers its days up to then."
        )
    if screens.is_empty_scope(report.current):
        notes.append("No creator activity in this period: no clicks, orders or revenue were reported.")
    if report.period_settling:
        first, last = report.period_settling
        notes.append(
            f"{range_words(first, last)} are still settling: Amazon restates the most recent 14 days for weeks as "
            "returns and late attributions arrive, so these figures may still change."
        )
    notes += [sentence for sentence in (report.missing_days, report.compared_missing_days) if sentence]
    if report.cut_short:
        notes.append(report.cut_short.sentence())
    elif report.no_previous:
        notes.append(report.no_previous)
    if report.commission_moved:
        notes.append(report.commission_moved)
    if report.matured is not None:
        notes.append(customer_value.fallback_note(report.pending, report.repeat_days, report.matured, report.had_days))
    # How many buyers the rate rests on, and how many are still pending, as under the Overview's cards: one note.
    repeat = customer_value.repeat_note(
        report.current,
        report.repeat_days,
        _written,
        report.matured,
    )
    said = f"{REGISTRY['repeat_rate'].label}: "
    if report.matured is None and customer_value.all_pending(report.current):
        said += (
            f"every buyer of this period is still within the {report.repeat_days} days a repeat purchase is counted "
            "in, so it is not known yet."
        )
        notes.append(f"{said} {repeat}" if repeat else said)
    elif repeat:
        notes.append(f"{said}{repeat[0].lower()}{repeat[1:]}")
    if report.order_lines_end:
        notes.append(report.order_lines_end)
    missing = screens.unavailable_customer_metrics(report.current)
    if missing:
        notes.append(
            f"{in_words([REGISTRY[m].label for m in missing])}: not available for this period. "
            + customer_value.unavailable_advice(missing, report.current, report.order_lines_elsewhere, in_review=True)
        )
    notes += customer_value.all_buyers_sentences(
        report.current,
        _label,
        _written,
    )
    # Where the customer rates come from, as under the Overview's cards: a rate from the performance report's counts
    # and one from order lines answer different questions.
    sources = customer_value.sources_caption(report.current, _label)
    if sources:
        notes.append(sources)
    partly_counted = customer_value.counts_cover_note(
        report.current,
        _label,
        _written,
    )
    if partly_counted:
        notes.append(partly_counted)
    rates = customer_value.rates_of_the_period(report.current, _label, report.matured)
    few = customer_value.few_orders_note(report.current.get("orders"), rates) if rates else ""
    if few:
        notes.append(few)
    return notes


def _header(report: WeeklyReport) -> str:
    words = screens.period_words(report.start, report.end)
    compared = "the same period last year" if report.comparison == "year" else f"{words} before"
    filters = _filter_words(report)
    return (
        f"<header><h1>{_e(report.brand_name)} — creator review</h1>"
        f'<p class="lead">{range_words(report.start, report.end)}, compared with {compared} '
        f"({range_words(report.before_start, report.before_end)}). Data through {day_words(report.as_of)}; "
        f"made {_made(report)}.</p>" + (f'<p class="note">{_e(filters)}</p>' if filters else "") + "</header>"
    )


def _made(report: WeeklyReport) -> str:
    """When the review was made, in UTC as the sources' load times are: "Dec 6, 2026 at 07:05 UTC"."""
    return report.made_at.astimezone(UTC).strftime("%b %-d, %Y at %H:%M UTC")


def _kpis(report: WeeklyReport) -> str:
    cards = "".join(_card(report, metric, colour) for row in KPI_ROWS for metric, colour in row)
    notes = "".join(f'<p class="note">{_e(note)}</p>' for note in _notes(report))
    return f'<section><h2>Key figures</h2><div class="cards">{cards}</div>{notes}</section>'


def _trend(report: WeeklyReport, images: Sequence[str], charts_missing: str | None = None) -> str:
    if report.weekly is not None and len(report.weekly) == 1:
        week = pd.Timestamp(report.weekly["week"].iloc[0]).date()
        return (
            "<section><h2>Weekly trend</h2><p>Only one whole reporting week (Sunday to Saturday) holds data so far, "
            f"the week of {_e(day_words(week))}: the weekly trend is drawn from the second.</p></section>"
        )
    if report.trend is not None and charts_missing:
        return (
            f"<section><h2>Weekly trend</h2><p>The weekly charts could not be drawn for this file: "
            f"{_e(charts_missing)} The figures above and below are complete.</p></section>"
        )
    if report.trend is None or not images:
        return (
            "<section><h2>Weekly trend</h2><p>No whole reporting week (Sunday to Saturday) of data in this period "
            "yet, so there is no weekly trend.</p></section>"
        )
    first, last = report.trend
    caption = (
        f"Whole Sunday–Saturday weeks from {day_words(first)} to {day_words(last)}."
        + (" The shaded weeks are still settling." if report.settling else "")
        + screens.trend_cut_sentence(report.trend, report.end, report.as_of)
    )
    titles = trend_titles(report)
    figures = "".join(_figure(image, title) for image, title in zip(images[:TREND_CHARTS], titles, strict=False))
    return (
        f'<section><h2>Weekly trend</h2><p class="note keep-with-next">{_e(caption)}</p>'
        f'<p class="note phone-only">{PHONE_SCROLL}</p>{figures}</section>'
    )


# Said above the charts on a phone, where each is wider than the screen (the page's style).
PHONE_SCROLL = (
    "Each chart is wider than a phone's screen: it opens on its title and left axis; slide it sideways for the "
    "latest weeks and the right axis."
)


# The trend's charts come first among the report's images; branded search beside clicks, when there is any, after.
TREND_CHARTS = 2


def trend_titles(report: WeeklyReport) -> tuple[str, str]:
    """The two weekly charts' titles (`report.trend_figures`), which describe their images too."""
    sums = "revenue" if report.weekly is None else screens.headline_sum(report.weekly)
    return (
        f"{'Attributed revenue' if sums == 'revenue' else 'Clicks'} and commission share by week",
        "Conversion rate by week",
    )


def _figure(image: str, alt: str) -> str:
    encoded = base64.b64encode(image.encode("utf-8")).decode("ascii")
    return f'<figure class="chart"><img alt="{_e(alt)}" src="data:image/svg+xml;base64,{encoded}"></figure>'


def _search(report: WeeklyReport, images: Sequence[str]) -> str:
    """Branded search beside creator clicks, as on the Overview, or why there is none (nothing without a weekly
    trend: the trend's section says so)."""
    if report.search_missing:
        return f"<section><h2>Branded search and creator clicks</h2><p>{_e(report.search_missing)}</p></section>"
    if report.search.empty or len(images) <= TREND_CHARTS:
        return ""
    return (
        # One chart with its sentence: printed on one page, never its heading alone at the foot of one.
        '<section class="together"><h2>Branded search and creator clicks</h2>'
        f'<p class="keep-with-next">{_e(report.search_sentence or "")}</p>'
        f"{_figure(images[TREND_CHARTS], 'Branded search volume and creator clicks by week')}"
        '<p class="note">Searches for queries with the brand\'s terms, from Search Query Performance (Brand View), '
        "which covers the whole brand: the filters narrow only the clicks."
        + (f" {_e(screens.CLICK_SHARE_NOTE)}" if report.search["brand_click_share"].notna().any() else "")
        + "</p></section>"
    )


def _findings(report: WeeklyReport) -> str:
    """What to do this week, as the Overview lists it: budgets running out and campaigns ending first (this week's
    money and deadlines, which the Campaigns section below explains), then the checks, each piece of advice once."""
    intro = (
        f'<p class="note">Checks over the whole program up to {day_words(report.as_of)}; the period and '
        "filters do not narrow them.</p>"
    )
    heading = f"<h2>{_e(screens.findings_heading(report.start, report.end))}</h2>"
    campaigns = [] if report.campaigns.empty else report.campaigns["warning"].dropna().tolist()
    items = [
        f'<div class="finding warning"><div class="severity">Campaign</div><div class="title">{_e(w)}</div></div>'
        for w in campaigns
    ] + [_finding(group) for group in sharing_advice(report.findings)]
    if not items:
        quiet = "<p>Nothing stands out: no check found a problem or an opportunity.</p>"
        return f"<section>{heading}{intro}{quiet}</section>"
    # The heading and its note printed with the first finding: never alone at the foot of a page.
    opening = f'<div class="together">{heading}{intro}{items[0]}</div>'
    return f"<section>{opening}{''.join(items[1:])}</section>"


def _finding(group: tuple[Insight, ...]) -> str:
    """Findings that give the same advice as one box: what each found, then the advice once."""
    first = group[0]
    found = (
        f'<div class="title">{_e(first.title)}</div>'
        if len(group) == 1
        else '<ul class="titles">' + "".join(f'<li class="title">{_e(i.title)}</li>' for i in group) + "</ul>"
    )
    return (
        f'<div class="finding {_e(first.severity)}"><div class="severity">{_e(SEVERITY_WORDS[first.severity])}</div>'
        f'{found}<div class="action">{_e(first.action)}</div></div>'
    )


def _cell(value: object, fmt: str) -> str:
    """One table cell: text left-aligned and wrapping, figures right-aligned in the registry's formats."""
    if fmt == "text":
        text = MISSING if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        return f'<td class="text">{_e(text)}</td>'
    if fmt == "date":
        return f'<td class="date">{_e(MISSING if value is None or pd.isna(value) else day_words(value))}</td>'  # type: ignore[arg-type]
    if fmt == "change":
        return f'<td class="number">{_e(value or "new")}</td>'
    return f'<td class="number">{_e(format_value(value, fmt))}</td>'


def _table(frame: pd.DataFrame, columns: Sequence[tuple[str, str, str]]) -> str:
    """An HTML table of `frame`'s `columns`, each (column, heading, format)."""
    head = "".join(
        f'<th class="{"number" if fmt not in ("text", "date") else "text"}">{_e(heading)}</th>'
        for _, heading, fmt in columns
    )
    rows = "".join(
        "<tr>" + "".join(_cell(row[column], fmt) for column, _, fmt in columns) + "</tr>"
        for row in frame.to_dict("records")
    )
    # On a phone a wide table scrolls in its own box rather than widening the page; printed, it is shown whole.
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


def _metric(name: str) -> tuple[str, str, str]:
    return name, REGISTRY[name].label, REGISTRY[name].format


def _shown(count: int, total: int, noun: str) -> str:
    return f"The top {count} of {total:,} {noun} by attributed revenue in the period." if total > count else ""


def _revenue_change(frame: pd.DataFrame) -> pd.Series:
    """Each row's change of revenue; None ("new") for revenue now and none then, a dash for none either time."""

    def none(value: object) -> bool:
        return value is None or pd.isna(value) or value == 0

    return pd.Series(
        [
            MISSING if none(now) and none(before) else format_delta(now, before, "money")
            for now, before in zip(frame["revenue"], frame["revenue_before"], strict=True)
        ],
        index=frame.index,
        dtype="object",
    )


def _changes(report: WeeklyReport) -> list[tuple[str, str, str]]:
    """The revenue-change column of the top tables, none where the cards show no change: a period compared with
    that holds no data, or too little (`screens.comparison_cut_short`), would call every creator "new"."""
    return [("change", "Revenue change", "change")] if report.previous is not None else []


def _changes_note(report: WeeklyReport) -> str:
    if report.previous is None:
        why = "holds nothing for the selection" if report.no_previous else "has too little data"
        return f"No revenue change is shown: the period compared with {why} (see the notes above)."
    # Said beside the changes, as the cards say it ("vs 22 of its 30 days"): a partial period makes them read large.
    partly = ""
    if report.cut_short is not None:
        partly = f", which holds data on only {report.cut_short.covered} of its {report.cut_short.days} days"
    elif report.compared_missing_days:
        partly = ", over the days of it that hold data (see the notes above)"
    return f'Revenue change is against the period compared with{partly}; "new" means no revenue then.'


def _creators(report: WeeklyReport) -> str:
    if report.creators.empty:
        return "<section><h2>Top creators</h2><p>No creator activity in this period.</p></section>"
    table = report.creators.assign(change=_revenue_change(report.creators))
    columns = [
        ("creator", "Creator", "text"),
        _metric("revenue"),
        *_changes(report),
        _metric("orders"),
        _metric("clicks"),
        _metric("conversion_rate"),
        _metric("commission"),
        _metric("commission_share"),
    ]
    note = _shown(len(table), report.creators_count, "creators")
    return (
        f"<section><h2>Top creators</h2>{_table(table, columns)}"
        f'<p class="note">{_e(note)} {_e(_changes_note(report))}</p>'
        "</section>"
    )


def _products(report: WeeklyReport) -> str:
    if report.products.empty:
        return "<section><h2>Top products</h2><p>No product sold through creators in this period.</p></section>"
    table = report.products.assign(
        product=[
            screens.asin_name(a, t) for a, t in zip(report.products["asin"], report.products["title"], strict=True)
        ],
        change=_revenue_change(report.products),
    )
    columns = [
        ("product", "Product", "text"),
        ("product_line", "Product line", "text"),
        _metric("revenue"),
        *_changes(report),
        _metric("orders"),
        _metric("units"),
        _metric("commission_share"),
    ]
    sold = [c for c in REVIEW_SALES_COLUMNS if c in table and table[c].notna().any()]
    columns += [_metric(c) for c in sold]  # all sales beside the creators', where a sales file covers the period
    note = _shown(len(table), report.products_count, "products")
    if sold and report.products_sales_note:
        note += " " + report.products_sales_note
    return (
        f'<section><h2>Top products</h2>{_table(table, columns)}<p class="note">{_e(note)} '
        f"{_e(_changes_note(report))}</p>{_line_spend(report)}</section>"
    )


def _line_spend(report: WeeklyReport) -> str:
    """The period's revenue and commission by product line, whose rows add up to the cards' totals: what a month's
    close asks of the products, beside the top ASINs above."""
    lines = report.line_spend
    if lines.empty:
        return ""
    note = _spend_note(report, "product line") + " Highest commission first."
    if (lines["product_line"] == UNASSIGNED_PRODUCT_LINE).any():
        note += f" “{UNASSIGNED_PRODUCT_LINE}” holds the ASINs missing from the products file."
    return _spend_by("Spend by product line in the period", lines, ("product_line", "Product line", "text"), note)


def _spend_note(report: WeeklyReport, per: str) -> str:
    narrowed = ", with the filters above" if _filter_words(report) else ""
    return (
        f"Revenue and commission per {per} over {range_words(report.start, report.end)}{narrowed}: "
        "the rows add up to the key figures."
    )


def _spend_by(title: str, table: pd.DataFrame, group: tuple[str, str, str], note: str) -> str:
    """A period's revenue and commission by one `group` column (name, heading, format) under heading `title`."""
    columns = [group, _metric("revenue"), _metric("commission"), _metric("commission_share"), _metric("orders")]
    return f'<h3>{_e(title)}</h3>{_table(table, columns)}<p class="note">{_e(note)}</p>'


# Marks a rank-lift row whose rank before and after moved the other way from its typical keyword's change.
UNEVEN_MARK = "†"


def _rank_lift(report: WeeklyReport) -> str:
    title = "<h2>Organic rank since activation</h2>"
    if report.rank_lift.empty:
        chosen = report.filters.product_lines or report.filters.asins
        # What is missing, as the brand's data has it: a review said ranks and activation dates were needed of a brand
        # whose catalog had its dates.
        if not report.ranks_loaded:
            reason = "no keyword ranks are loaded (a rank tracker's export, or the keyword ranks template)"
        elif chosen:
            reason = (
                "none of the product lines and ASINs chosen has a product with keyword ranks and an activation date"
            )
        else:
            reason = "no product with keyword ranks has an activation date with readings before and after it"
        return f"<section>{title}<p>No rank lift to show: {reason}.</p></section>"
    lifts = report.rank_lift
    # 34 then 39 beside a typical keyword's +2.5, among the products that moved up most, read as a contradiction:
    # such a row is marked, and the note says why it happens.
    uneven = [
        pd.notna(before) and pd.notna(after) and pd.notna(change) and (before - after) * change < 0
        for before, after, change in zip(lifts["rank_before"], lifts["rank_after"], lifts["rank_change"], strict=True)
    ]
    table = lifts.assign(
        product=[
            screens.asin_name(a, t) + (f" {UNEVEN_MARK}" if odd else "")
            for a, t, odd in zip(lifts["asin"], lifts["title"], uneven, strict=True)
        ],
        keywords=[
            f"{improved} of {measured}"
            for improved, measured in zip(lifts["keywords_improved"], lifts["keywords_measured"], strict=True)
        ],
    )
    columns = [
        ("product", "Product", "text"),
        _metric("rank_before"),
        _metric("rank_after"),
        # Not rank after less rank before: a reader seeing 34 then 39 beside +2.5 is told what the figure is.
        ("rank_change", "Typical keyword's change", REGISTRY["rank_change"].format),
        ("keywords", "Keywords improved", "text"),
        _metric("lift_vs_control"),
    ]
    more = (
        f" The {plural(len(lifts), 'ASIN')} that moved up most of {report.rank_lift_count:,}."
        if report.rank_lift_count > len(lifts)
        else ""
    )
    filters = report.filters
    narrowed = (
        " Of the product lines and ASINs chosen; the windows sit around each activation, so the period, creator and "
        "campaign filters do not apply."
        if filters.product_lines or filters.asins
        else " The windows sit around each activation, so the period, creator and campaign filters do not apply."
        if filters.creators or filters.campaigns
        else ""
    )
    note = (
        "Median organic rank over the 28 days before and after each ASIN's activation; a positive change is places "
        "gained. Each figure is the median over the ASIN's keywords taken one by one, so the change is the typical "
        "keyword's move and need not be rank before minus rank after. Lift vs control subtracts the change of "
        "unactivated ASINs in the same product line over the same days; a dash where the line has none."
        + (
            f" {UNEVEN_MARK} Its rank before and after moved the other way from its typical keyword: its keywords "
            "moved unevenly, a few far one way, more a little the other."
            if any(uneven)
            else ""
        )
        + narrowed
        + more
        + (
            f" From the ranks loaded up to {day_words(report.as_of)}, whatever the review's period."
            if report.end < report.as_of
            else ""
        )
    )
    return f'<section>{title}{_table(table, columns)}<p class="note">{_e(note)}</p></section>'


def _campaigns(report: WeeklyReport) -> str:
    pacing = report.campaigns
    if pacing.empty:
        return ""
    # Where the reports and the ledger disagree, as the Campaigns page says it: the ledger's upkeep, after the table.
    # (The budgets running out and the campaigns ending lead the findings above.)
    ledger = "".join(
        f'<div class="finding info"><div class="severity">Ledger</div><div class="title">{_e(n)}</div></div>'
        for n in report.ledger_notes
    )
    columns = [
        ("campaign", "Campaign", "text"),
        ("status", "Status", "text"),
        _metric("budget"),
        ("commission", "Commission to date", "money"),  # headed as the Campaigns page heads it
        _metric("budget_used"),
        _metric("pace_per_day"),
        _metric("projected_spend"),
        ("runs_out_on", "Budget runs out", "date"),
        ("end", "Ends", "date"),
    ]
    close = "commission_at_close" in pacing.columns  # a month's review, made once later data is in
    if close:
        # The close's own figures first, then those to date headed so: "Budget used" beside them read as the month's.
        columns[3:3] = [
            ("commission_at_close", f"Commission to {report.end:%b %-d}", "money"),
            ("budget_left_at_close", f"Budget left at {report.end:%b %-d}", "money"),
        ]
        used = columns.index(_metric("budget_used"))
        columns[used] = ("budget_used", f"{REGISTRY['budget_used'].label} to date", REGISTRY["budget_used"].format)
    table = with_ledger_ends(pacing.head(TOP_CAMPAIGNS))
    table = table.assign(status=status_labels(table["status"]))
    filters = report.filters
    whole = (
        " Every campaign, whatever the filters above."
        if filters.creators or filters.product_lines or filters.asins or filters.campaigns or filters.programs
        else ""
    )
    # A past period's review still shows the budgets as they stand now, as the Campaigns page does: said, since the
    # month's own spend by campaign below stops at its end; a month's close has each campaign's commission to its end
    # beside them.
    when = (
        f"As of {day_words(report.as_of)}, the last day of data"
        + (f", after the period's end ({day_words(report.end)}): spend to date" if report.end < report.as_of else "")
        + (f", beside each campaign's commission to {day_words(report.end)}, the month's close" if close else "")
    )
    note = (
        f"Commission spent against each campaign's budget in the ledger, projected to its end at the spend per day of "
        f"its last {PACE_DAYS} days. Creators must post a content link before a campaign's end date to keep their "
        "bonus." + whole
    )
    unlisted = unlisted_note(pacing, in_review=True)
    if unlisted:
        note += " " + unlisted
    # The day the budgets stand at comes first: a month's review read beside the Campaigns page shows other figures.
    return (
        f'<section><h2>Campaigns</h2><p class="note">{_e(when)}.</p>{_table(table, columns)}'
        f'<p class="note">{_e(note)}</p>{ledger}{_campaign_spend(report)}</section>'
    )


def _campaign_spend(report: WeeklyReport) -> str:
    """The period's revenue and commission by campaign, whose rows add up to the cards' totals: what a month's close
    asks, beside the ledger's pacing above (which counts each campaign over its own dates)."""
    spend = report.campaign_spend
    if spend.empty:
        return ""
    note = _spend_note(report, "campaign") + (
        " Each campaign's spend is counted on the period's days only, whatever its ledger dates."
    )
    if (spend["campaign"] == screens.NO_CAMPAIGN).any():
        note += f" “{screens.NO_CAMPAIGN}” holds the rows the reports give no campaign."
    if len(spend) > TOP_CAMPAIGNS:
        note += f" The {TOP_CAMPAIGNS} of {len(spend):,} campaigns with the most commission are shown."
    return _spend_by(
        "Spend by campaign in the period", spend.head(TOP_CAMPAIGNS), ("campaign", "Campaign", "text"), note
    )


def _sources(report: WeeklyReport) -> str:
    sources = report.sources
    if sources.empty:
        return "<section><h2>Data sources</h2><p>No files loaded.</p></section>"
    table = sources.assign(
        covers=[
            # Written as the rest of the review writes days: "Dec 21, 2025 – Nov 14, 2026".
            range_words(pd.Timestamp(first).date(), pd.Timestamp(last).date())
            if pd.notna(first) and pd.notna(last)
            else MISSING
            for first, last in zip(sources["first_day"], sources["last_day"], strict=True)
        ],
        # The store keeps load times in UTC: said, as the review is read in other time zones.
        loaded=pd.to_datetime(sources["loaded_at"]).dt.strftime("%b %-d, %Y %H:%M UTC"),
        kind=kind_labels(sources["kind"]),
    )
    columns = [
        ("file", "File", "text"),
        ("kind", "Kind", "text"),
        ("covers", "Dates covered", "text"),
        ("rows_added", "Rows added", "count"),
        ("rows_updated", "Rows updated", "count"),
        ("loaded", "Loaded", "text"),
    ]
    return f"<section><h2>Data sources</h2>{_table(table, columns)}</section>"


def _terms(report: WeeklyReport) -> str:
    """What each key figure means, from the same definitions as the app's help icons: the review is read by people
    who never open the app (is commission the bonus alone, or the standard rate too?)."""
    defined = "".join(
        f"<dt>{_e(REGISTRY[metric].label)}</dt><dd>{_e(REGISTRY[metric].description)}</dd>"
        for row in KPI_ROWS
        for metric, _ in row
    )
    window = f"Here R is {report.repeat_days} days." if report.repeat_days else ""
    return (
        f'<section><h2>What the key figures mean</h2><dl class="terms">{defined}</dl>'
        f'<p class="note">{_e(window)}</p></section>'
    )


def report_html(report: WeeklyReport, images: Sequence[str], charts_missing: str | None = None) -> str:
    """The whole report page; `images` are the trend charts as SVG text, shown as images in their order.
    `charts_missing` says why there are none when they could not be drawn."""
    title = f"{report.brand_name} — creator review, {range_words(report.start, report.end)}"
    body = "".join(
        (
            _header(report),
            _kpis(report),
            _trend(report, images, charts_missing),
            _search(report, images),
            _findings(report),
            _campaigns(report),
            _creators(report),
            _products(report),
            _rank_lift(report),
            _sources(report),
            _terms(report),
            f"<footer>Made with Creator Lift on {_made(report)}, from the data sources listed above.</footer>",
        )
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{STYLE}{_page_margins(title)}</style></head><body>{body}</body></html>\n"
    )


def _page_margins(title: str) -> str:
    """Printed, each page says whose review of which days it is at its top and its number at its foot: a page
    handed round alone is still placed. (Chromium draws CSS page-margin boxes; a screen ignores them.)"""
    small = "font: 8pt Arial, 'Liberation Sans', sans-serif; color: #868e96;"
    return (
        f"@page {{ @top-left {{ content: {_css_string(title)}; {small} }} "
        f'@bottom-right {{ content: "Page " counter(page) " of " counter(pages); {small} }} }}'
    )


def _css_string(text: str) -> str:
    """`text` as a CSS string: a brand's name may hold quotes, a backslash or "</style>"; anything but letters,
    digits and spaces is written as its code point."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'
