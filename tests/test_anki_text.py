"""Card text to Anki HTML and back, through the one Markdown dialect (content/markdown.py)."""

from __future__ import annotations

import pytest

from studyctl.anki.html_text import html_to_lines, html_to_plain, html_to_text, list_items
from studyctl.anki.markdown import to_html


def test_text_is_literal_html_escaped():
    assert to_html('x < y && <tensor> "quoted"') == 'x &lt; y &amp;&amp; &lt;tensor&gt; "quoted"'


def test_math_uses_the_delimiters_anki_gives_mathjax():
    assert to_html(r"Loss $\ell(a<b)$ and $$\sum_i x_i$$") == r"Loss \(\ell(a&lt;b)\) and \[\sum_i x_i\]"
    assert to_html(r"$x^2\,dx$") == r"\(x^2\,dx\)"  # backslashes inside math are LaTeX, not escapes


def test_anki_legacy_latex_passes_through_untouched():
    """Issue 13: `[$]...[/$]` was mangled to `[\\(]...[/\\)]`."""
    assert to_html(r"[$]x^2[/$] and [$$]\sum[/$$] and [latex]\LaTeX[/latex]") == (
        r"[$]x^2[/$] and [$$]\sum[/$$] and [latex]\LaTeX[/latex]"
    )


@pytest.mark.parametrize("text", ["costs $5 and $6", "a $ sign", r"escaped \$x\$", "$ x$ not math", "$$ open"])
def test_dollars_that_are_not_math_stay_dollars(text):
    assert "\\(" not in to_html(text) and "\\[" not in to_html(text)


def test_code_blocks_are_highlighted_with_inline_styles():
    html = to_html("Look:\n```python\nif x < 1:\n    pass\n```\nDone.")
    assert html.startswith('<p>Look:</p><pre class="code" data-lang="python"><code>')
    assert '<span style="color: #008000; font-weight: bold">if</span>' in html
    assert "&lt;" in html and "    " in html and html.endswith("</code></pre><p>Done.</p>")


def test_an_unknown_language_is_still_escaped():
    assert to_html("```nosuchlanguage\n<b>\n```") == (
        '<pre class="code" data-lang="nosuchlanguage"><code>&lt;b&gt;\n</code></pre>'
    )


def test_markdown_reaches_anki_as_html_not_as_literal_markup():
    """Issue 13: italics, lists, links and superscripts reached Anki as literal Markdown."""
    assert to_html("**Use** `a<b` and *it*") == "<strong>Use</strong> <code>a&lt;b</code> and <em>it</em>"
    assert to_html("x^2^ and H~2~O") == "x<sup>2</sup> and H<sub>2</sub>O"
    assert to_html("- a\n- b") == "<ul><li>a</li><li>b</li></ul>"
    assert to_html("[site](https://x.org)") == '<a href="https://x.org">site</a>'
    assert "<table>" in to_html("| a | b |\n|---|---|\n| 1 | 2 |")


def test_source_line_wrapping_is_not_a_line_break():
    """Issue 13: the built-in decks' wrapping became hard <br> plus &nbsp; in Anki."""
    html = to_html("A long sentence\n  wrapped in the YAML.")
    assert "<br>" not in html and "&nbsp;" not in html
    assert to_html("hard\\\nbreak") == "hard<br>break"


ROUND_TRIPS = [
    "plain text",
    "x < y & z > w",
    "Line one\nLine two\n\nNew paragraph",
    "- item\n  - nested item\n    deeper",
    "1. one\n2. two\n\n   para in two",
    r"Inline $a_{ij} < b$ and display $$\frac{1}{2}$$ math",
    "Costs $5 and $6",
    "`code` and ``with ` tick`` and **bold** and *stars*",
    "Before\n```python\ndef f(x):\n\n    return x < 1  # <hi>\n```\nAfter",
    "```\nno language\n```",
    "{{c1::`torch.cat`}} joins along {{c2::an existing dim::which dim?}}",
    "中文 and 混合 text: 反向传播",
    r"escaped \$5 and a backslash \ alone",
    "x^2^ and H~2~O and ~~gone~~",
    "| a | b |\n|---|---|\n| 中文 | 2 |",
    "[$]x^2[/$] legacy",
    "hard\\\nbreak",
    "[site](https://x.org) ![](cat.png)",
    "snake_case_name and *em*",
]


@pytest.mark.parametrize("text", ROUND_TRIPS)
def test_html_text_gives_markdown_that_renders_the_same(text):
    back = html_to_text(to_html(text))
    assert to_html(back) == to_html(text)
    assert html_to_text(to_html(back)) == back  # and it is stable


def test_anki_editor_html_reads_as_markdown():
    assert html_to_text("<div>Line 1</div><div>Line&nbsp;2<br></div>") == "Line 1\\\nLine 2"
    assert html_to_text("a\n<b>bold</b>\n\\( x^2 \\)") == "a\n**bold**\n$x^2$"
    assert html_to_text("<ul><li>one</li><li>two <i>it</i></li></ul>after") == "- one\n- two *it*\n\nafter"
    assert html_to_text("<ol><li>one</li><li>two</li></ol>") == "1. one\n2. two"
    assert html_to_text('<img src="cat.png"> <a href="https://x.org">site</a>') == "![](cat.png) [site](https://x.org)"
    assert html_to_text("Q<br/><br/>&lt;tag&gt; &amp; [sound:x.mp3]") == "Q\\\n<tag> & [sound:x.mp3]"
    assert html_to_text("<style>.x { color: red }</style>visible<script>alert(1)</script>") == "visible"
    assert html_to_text('<pre><code class="language-py">x = 1\n</code></pre>') == "```py\nx = 1\n```"
    assert html_to_text("\\[ E = mc^2 \\]") == "$$E = mc^2$$"
    assert html_to_text("x<sup>2</sup>, H<sub>2</sub>O") == "x^2^, H~2~O"  # was "x2"
    assert html_to_text("a*b and 2 * 3") == "a\\*b and 2 * 3"  # literal stars stay literal
    assert html_to_text("<b> spaced </b>x<i></i>") == "**spaced** x"


def test_a_type_in_answer_is_plain_text():
    """Issue 13: an imported answer `**300000**` made Anki mark a typed 300000 wrong."""
    assert html_to_plain("<b>300000</b>") == "300000"
    assert html_to_plain("a &amp; <i>b</i>") == "a & b"


def test_fields_with_one_item_per_line_and_lists():
    assert html_to_lines("d2l 5.1<br>NNDL ch4<br><br>") == ["d2l 5.1", "NNDL ch4"]
    assert list_items('<ol type="A"><li>One</li><li><code>g</code> &amp; h</li></ol>') == ["One", "`g` & h"]


@pytest.mark.parametrize(
    "markup",
    ["\\(" * 20_000, "<b>" * 20_000 + "x", "a^" * 20_000, "<li>x" * 20_000, "<ul>" * 5_000 + "x", "x<br>" * 20_000],
)
def test_conversion_is_linear_on_pathological_html(markup):
    """Issue 13: import was quadratic in field size. Output stays proportional to the input."""
    assert len(html_to_text(markup)) <= 4 * len(markup)
