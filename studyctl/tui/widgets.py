"""Small widgets and text builders shared by the screens.

Everything that shows user or content text goes through Rich `Text` objects (or Static with
markup=False): a card that says `[red]x[/red]` shows those characters, never red text.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.widgets import Footer, Static

from studyctl import i18n
from studyctl.i18n import N_, _

WEEKDAY_LETTERS = (N_("Mon"), "", N_("Wed"), "", N_("Fri"), "", N_("Sun"))  # the heatmap's rows
HEAT_STYLES = ("grey35", "green4", "green3", "green1", "bold bright_green")  # i18n: not shown (styles)
HEAT_CELL = "■"
BAR_FULL, BAR_EMPTY = "█", "░"


class StudyFooter(Footer):
    """The footer of every screen. In Chinese it leaves out the right-docked ctrl+p key: Textual
    blanks a wide character where one widget overlaps another (textual#6357), and a full footer
    ran under it ("^p   令"). The key still works and the help screen lists it."""

    def __init__(self) -> None:
        super().__init__(show_command_palette=i18n.current() != "zh")


class Panel(Static):
    """A Static for text that is never markup; `show()` takes str or Text."""

    def __init__(self, content=None, *, title: str = "", id: str | None = None, classes: str = ""):
        super().__init__(literal(content or ""), markup=False, id=id, classes=classes)
        if title:
            self.border_title = title

    def show(self, content) -> None:
        """Show a str (literally), a Text, or another Rich renderable built from Texts."""
        self.update(literal(content))


def literal(content):
    """Text shown as it is: a str becomes a Text without parsing markup; Rich renderables
    (Text, tables and groups of Texts) pass through. Text with Chinese in it is wrapped by its
    width on screen (Rich breaks lines only at spaces, which Chinese doesn't have)."""
    text = Text(content) if isinstance(content, str) else content
    if isinstance(text, Text) and i18n.has_wide(text.plain):
        return WideText(text)
    return text


class WideText:
    """A Text wrapped at render time, when the width is known, by i18n.wrap_spans: breaks
    between Chinese characters or at spaces, never before closing punctuation; styles kept."""

    def __init__(self, text: Text):
        self.text = text

    def __rich_console__(self, console, options):
        lines = []
        for line in self.text.split("\n", allow_blank=True):
            spans = i18n.wrap_spans(line.plain, options.max_width) or [(0, 0)]
            lines += [line[start:end] for start, end in spans]
        yield Text("\n").join(lines)

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        return Measurement.get(console, options, self.text)


def bar(fraction: float, width: int = 24, style: str = "green") -> Text:
    """A progress bar of `width` cells, filled `fraction` (0..1) of the way."""
    fraction = min(1.0, max(0.0, fraction))
    filled = round(fraction * width)
    text = Text(BAR_FULL * filled, style=style)
    text.append(BAR_EMPTY * (width - filled), style="grey42")
    return text


def heatmap(per_day: dict[dt.date, int], today: dt.date) -> Text:
    """Answers per day as a grid: one column a week (oldest left), one row a weekday.

    Shades are relative to the busiest day shown, like GitHub's contribution graph."""
    if not per_day:
        return Text(_("no reviews yet"))
    first = min(per_day)
    first -= dt.timedelta(days=first.weekday())
    weeks = (today - first).days // 7 + 1
    peak = max(per_day.values()) or 1
    labels = [_(label) if label else "" for label in WEEKDAY_LETTERS]
    column = max(i18n.width(label) for label in labels) + 1  # "Mon " / "周一 "
    text = Text()
    for weekday in range(7):
        text.append(i18n.ljust(labels[weekday], column), style="dim")
        for week in range(weeks):
            day = first + dt.timedelta(days=7 * week + weekday)
            if day > today:
                text.append("  ")
                continue
            count = per_day.get(day, 0)
            level = 0 if count == 0 else 1 + min(3, int(4 * count / (peak + 1)))
            text.append(HEAT_CELL + " ", style=HEAT_STYLES[level])
        text.append("\n")
    text.append(" " * column + _("less") + " ", style="dim")
    for style in HEAT_STYLES:
        text.append(HEAT_CELL + " ", style=style)
    text.append(_("more"), style="dim")
    return text


def month_day(day: dt.date) -> str:
    """A day without weekday or year, for tables: "23 Nov" / "11月23日"."""
    if i18n.current() == "zh":
        return f"{day.month}月{day.day}日"
    return day.strftime("%d %b")


def chart_day(day: dt.date) -> str:
    """A day on a chart's axis: "23 Nov" / "11/23" (plotext draws one character a cell, so the
    Chinese label stays ASCII)."""
    if i18n.current() == "zh":
        return f"{day.month}/{day.day}"
    return day.strftime("%d %b")


def key_hint(pairs: list[tuple[str, str]]) -> Text:
    """'space show answer · u undo' with the keys in bold."""
    text = Text()
    for n, (key, what) in enumerate(pairs):
        if n:
            text.append("  ·  ", style="dim")
        text.append(key, style="bold")
        text.append(f" {what}")
    return text
