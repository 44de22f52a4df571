"""The report's charts: Altair specs rendered to static SVG by vl-convert (no browser, no network).

Each function takes rows as the marts hold them and returns an SVG string. Text in a chart
(theme labels are customers' words) is escaped by the SVG writer, and the SVG holds no script.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert

VOLUME_COLOUR = "#3b6ea8"
SENTIMENT_COLOUR = "#d9822b"
RICE_COLOURS = {"Reach": "#3b6ea8", "Impact": "#59a14f", "Confidence": "#b07aa1", "Effort (divides)": "#e15759"}
INTENT_LABELS = {
    "bug": "Bug or problem",
    "feature_request": "Feature request",
    "question": "Question",
    "praise": "Praise",
    "other": "Other",
}
INTENT_COLOURS = ["#e15759", "#3b6ea8", "#edc948", "#59a14f", "#bab0ac"]
BAND_COLOURS = {"healthy": "#59a14f", "watch": "#edc948", "at_risk": "#e15759", "unknown": "#bab0ac"}


def to_svg(chart: alt.TopLevelMixin) -> str:
    return vl_convert.vegalite_to_svg(chart.to_json())


def _base(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure_view(stroke=None).configure(font="Helvetica, Arial, sans-serif", background="white")


def rice_bars(candidates: pd.DataFrame) -> str:
    """One horizontal bar per candidate: RICE = reach x impact x confidence / effort, each factor
    a segment on a log scale (log10), so the segments add up to the score's log: a segment right
    of 0 raises the score, one left of it (confidence below 1, effort above 1) lowers it."""
    rows = []
    for candidate in candidates.to_dict("records"):
        name = f"{candidate['rank']}. {candidate['label']}"
        for component, column, sign in (
            ("Reach", "reach", 1),
            ("Impact", "impact", 1),
            ("Confidence", "confidence", 1),
            ("Effort (divides)", "effort", -1),
        ):
            rows.append(
                {
                    "candidate": name,
                    "rank": candidate["rank"],
                    "component": component,
                    "value": candidate[column],
                    "sign": sign,
                }
            )
    data = pd.DataFrame(rows)
    chart = (
        alt.Chart(data)
        .transform_calculate(
            # The log scale is the chart's geometry; every number printed is the mart's own.
            log_value="datum.value > 0 ? datum.sign * log(datum.value) / LN10 : 0",
            shown="format(datum.value, '.3~g')",
        )
        .mark_bar(height=16)
        .encode(
            y=alt.Y(
                "candidate:N",
                sort=alt.EncodingSortField(field="rank", op="min"),
                title=None,
                axis=alt.Axis(labelLimit=320),
            ),
            x=alt.X(
                "log_value:Q",
                title="log10 of each factor (segments add up to log10 of the RICE score)",
                stack="zero",
            ),
            color=alt.Color(
                "component:N",
                title="RICE factor",
                scale=alt.Scale(domain=list(RICE_COLOURS), range=list(RICE_COLOURS.values())),
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("sign:Q", sort="descending"),
        )
    )
    labels = (
        alt.Chart(data)
        .transform_calculate(log_value="datum.value > 0 ? datum.sign * log(datum.value) / LN10 : 0")
        .transform_stack(stack="log_value", groupby=["candidate"], as_=["start", "end"], sort=[{"field": "sign"}])
        .transform_calculate(middle="(datum.start + datum.end) / 2", shown="format(datum.value, '.3~g')")
        .transform_filter("abs(datum.end - datum.start) > 0.12")
        .mark_text(fontSize=9, color="white")
        .encode(
            y=alt.Y("candidate:N", sort=alt.EncodingSortField(field="rank", op="min")), x="middle:Q", text="shown:N"
        )
    )
    return to_svg(
        _base(
            (chart + labels).properties(
                width=640, height=alt.Step(24), padding={"left": 60, "right": 8, "top": 4, "bottom": 4}
            )
        )
    )


def sparkline(weekly: pd.DataFrame) -> str:
    """Weekly volume (bars) and mean sentiment (line, -1..1) of one theme, axes left out."""
    base = alt.Chart(weekly).encode(x=alt.X("week_start:T", axis=None))
    volume = base.mark_bar(color=VOLUME_COLOUR, opacity=0.55).encode(
        y=alt.Y("feedback_items:Q", axis=None, scale=alt.Scale(domainMin=0))
    )
    sentiment = base.mark_line(color=SENTIMENT_COLOUR, strokeWidth=1.8, point=alt.OverlayMarkDef(size=8)).encode(
        y=alt.Y("avg_sentiment:Q", axis=None, scale=alt.Scale(domain=[-1, 1]))
    )
    chart = alt.layer(volume, sentiment).resolve_scale(y="independent").properties(width=150, height=34)
    return to_svg(_base(chart).configure(padding=2, background="white"))


def theme_trend(weekly: pd.DataFrame) -> str:
    """A theme's feedback items per week (bars, left axis) and their mean sentiment (line, right axis)."""
    base = alt.Chart(weekly).encode(x=alt.X("week_start:T", title="week", axis=alt.Axis(format="%d %b %Y")))
    volume = base.mark_bar(color=VOLUME_COLOUR, opacity=0.7, size=12).encode(
        y=alt.Y("feedback_items:Q", title="feedback items", axis=alt.Axis(titleColor=VOLUME_COLOUR))
    )
    sentiment = base.mark_line(color=SENTIMENT_COLOUR, strokeWidth=2, point=True).encode(
        y=alt.Y(
            "avg_sentiment:Q",
            title="mean sentiment",
            scale=alt.Scale(domain=[-1, 1]),
            axis=alt.Axis(titleColor=SENTIMENT_COLOUR, orient="right"),
        )
    )
    return to_svg(_base(alt.layer(volume, sentiment).resolve_scale(y="independent").properties(width=640, height=200)))


def intent_mix(shares: dict[str, float | None]) -> str:
    """The theme's share of each intent (dim_themes.share_*) as one 100% bar."""
    data = pd.DataFrame(
        [{"intent": INTENT_LABELS[k], "order": i, "share": shares.get(k) or 0.0} for i, k in enumerate(INTENT_LABELS)]
    )
    chart = (
        alt.Chart(data)
        .mark_bar(height=22)
        .encode(
            x=alt.X("share:Q", stack="zero", title=None, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(
                "intent:N",
                title=None,
                scale=alt.Scale(domain=list(INTENT_LABELS.values()), range=INTENT_COLOURS),
                legend=alt.Legend(orient="bottom", columns=5, columnPadding=18),
            ),
            order=alt.Order("order:Q"),
        )
        .properties(width=480, height=26)
    )
    return to_svg(_base(chart))


def shipped_before_after(shipped: pd.DataFrame) -> str:
    """Per shipped roadmap item: weekly feedback on its themes and their mean sentiment, before and after release."""
    rows = []
    for item in shipped.to_dict("records"):
        for side in ("before", "after"):
            rows.append(
                {
                    "item": f"{item['issue_key']} {item['summary']}",
                    "side": side,
                    "weekly items": item[f"weekly_items_{side}"],
                    "mean sentiment": item[f"avg_sentiment_{side}"],
                }
            )
    data = pd.DataFrame(rows)
    colour = alt.Color(
        "side:N", title=None, scale=alt.Scale(domain=["before", "after"], range=["#bab0ac", VOLUME_COLOUR])
    )
    y = alt.Y("item:N", title=None, axis=alt.Axis(labelLimit=240))
    volume = (
        alt.Chart(data)
        .mark_bar()
        .encode(y=y, yOffset=alt.YOffset("side:N", sort=["before", "after"]), x="weekly items:Q", color=colour)
        .properties(width=260, height=alt.Step(12))
    )
    sentiment = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("item:N", title=None, axis=None),
            yOffset=alt.YOffset("side:N", sort=["before", "after"]),
            x=alt.X("mean sentiment:Q", scale=alt.Scale(domain=[-1, 1])),
            color=colour,
        )
        .properties(width=220, height=alt.Step(12))
    )
    chart = alt.hconcat(volume, sentiment).properties(padding={"left": 50, "right": 8, "top": 4, "bottom": 4})
    return to_svg(_base(chart).configure_legend(orient="top"))


def health_bands(bands: pd.DataFrame) -> str:
    """Accounts per health band (fct_account_health_bands), each bar labelled with its ARR."""
    data = bands.assign(arr_label=bands["arr"].map(lambda v: f"ARR {v:,.0f}"))
    base = alt.Chart(data).encode(
        y=alt.Y("health_band:N", sort=alt.EncodingSortField(field="band_order", op="min"), title=None),
        x=alt.X("n_accounts:Q", title="accounts", axis=alt.Axis(format="d", tickMinStep=1)),
    )
    bars = base.mark_bar(height=18).encode(
        color=alt.Color(
            "health_band:N",
            scale=alt.Scale(domain=list(BAND_COLOURS), range=list(BAND_COLOURS.values())),
            legend=None,
        )
    )
    text = base.mark_text(align="left", dx=4, fontSize=10).encode(text="arr_label:N")
    return to_svg(_base((bars + text).properties(width=420, height=alt.Step(26), padding={"left": 30, "right": 60})))
