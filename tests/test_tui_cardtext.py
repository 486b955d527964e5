"""The card widget: the same Markdown dialect as the Anki export, drawn for a terminal."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from tui_support import screen_text

from studyctl.tui.cardtext import CardMarkdown, latex_to_unicode

CARD = (
    "Loss $x^2\\,dx$ and $\\sigma(x) = 1/(1+e^{-x})$, water is H~2~O, E = mc^2^,\n"
    "wrapped in the source [$]legacy[/$] and **[Paris]** highlighted.\n\n"
    "- first\n- second 反向传播\n\n"
    "| term | 中文 |\n|---|---|\n| backprop | 反向传播 |\n| ReLU | 线性整流 |\n"
)


class CardApp(App):
    def compose(self) -> ComposeResult:
        yield CardMarkdown(id="card")


def shown(raw: bool = False) -> str:
    async def run() -> str:
        app = CardApp()
        async with app.run_test(size=(100, 30)) as pilot:
            card = app.query_one(CardMarkdown)
            await card.update(CARD)
            if raw:
                await card.show_raw_math(True)
            await pilot.pause()
            return screen_text(app)

    return asyncio.run(run())


def test_math_reads_as_unicode_and_keeps_its_meaning():
    text = shown()
    assert "x² dx" in text and "σ(x) = 1/(1+e⁻ˣ)" in text  # was "x^2,dx": the backslash eaten
    assert "H₂O" in text and "mc²" in text
    assert "[$]legacy[/$]" in text
    assert "wrapped in the source" in text.replace("\n", " ")  # a soft break is a space, not a new line


def test_raw_latex_on_request():
    text = shown(raw=True)
    assert "$x^2\\,dx$" in text


def test_cjk_table_columns_line_up():
    """Wide characters take two cells; the second column starts at the same x on every row."""
    import re

    async def run() -> str:
        app = CardApp()
        async with app.run_test(size=(100, 30)) as pilot:
            await app.query_one(CardMarkdown).update(CARD)
            await pilot.pause()
            return app.export_screenshot()

    svg = asyncio.run(run())
    xs = {
        text: float(x)
        for x, text in re.findall(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+"[^>]*>([^<]*)</text>', svg)
        if text.strip() in ("反向传播", "线性整流", "中文")
    }
    assert len(xs) == 3 and len(set(xs.values())) == 1, xs


def test_latex_that_does_not_parse_comes_back_as_written():
    assert latex_to_unicode("\\frac{") == "\\frac{"
    assert latex_to_unicode("\\sqrt{d_k}") == "√(dₖ)"
