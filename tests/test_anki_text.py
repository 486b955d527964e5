"""Card text to Anki HTML (code highlighted, math for MathJax, the rest literal) and back."""

from __future__ import annotations

import pytest

from studyctl.anki.html_text import html_to_lines, html_to_text, list_items
from studyctl.anki.markdown import to_html


def test_text_is_literal_html_escaped():
    assert to_html('x < y && <tensor> "quoted"') == 'x &lt; y &amp;&amp; &lt;tensor&gt; "quoted"'


def test_math_uses_the_delimiters_anki_gives_mathjax():
    assert to_html(r"Loss $\ell(a<b)$ and $$\sum_i x_i$$") == r"Loss \(\ell(a&lt;b)\) and \[\sum_i x_i\]"


@pytest.mark.parametrize("text", ["costs $5 and $6", "a $ sign", r"escaped \$x\$", "$ x$ not math", "$$ open"])
def test_dollars_that_are_not_math_stay_dollars(text):
    assert "\\(" not in to_html(text) and "\\[" not in to_html(text)


def test_code_blocks_are_highlighted_with_inline_styles():
    html = to_html("Look:\n```python\nif x < 1:\n    pass\n```\nDone.")
    assert html.startswith('Look:<br><pre class="code" data-lang="python"><code>')
    assert '<span style="color: #008000; font-weight: bold">if</span>' in html
    assert "&lt;" in html and "    " in html and html.endswith("</code></pre>Done.")


def test_an_unknown_language_is_still_escaped():
    assert to_html("```nosuchlanguage\n<b>\n```") == (
        '<pre class="code" data-lang="nosuchlanguage"><code>&lt;b&gt;\n</code></pre>'
    )


def test_inline_code_and_bold():
    assert to_html("**Use** `a<b` and `` x`y ``") == "<b>Use</b> <code>a&lt;b</code> and <code>x`y</code>"


def test_line_breaks_and_indentation_survive_html():
    assert to_html("- a\n  - b") == "- a<br>&nbsp;&nbsp;- b"


ROUND_TRIPS = [
    "plain text",
    "x < y & z > w",
    "Line one\nLine two\n\nNew paragraph",
    "- item\n  - nested item\n    deeper",
    r"Inline $a_{ij} < b$ and display $$\frac{1}{2}$$ math",
    "Costs $5 and $6",
    "`code` and ``with ` tick`` and **bold** and *stars*",
    "Before\n```python\ndef f(x):\n\n    return x < 1  # <hi>\n```\nAfter",
    "```\nno language\n```",
    "{{c1::`torch.cat`}} joins along {{c2::an existing dim::which dim?}}",
    "中文 and 混合 text: 反向传播",
    r"escaped \$5 and a backslash \ alone",
]


@pytest.mark.parametrize("text", ROUND_TRIPS)
def test_html_text_inverts_markdown(text):
    assert html_to_text(to_html(text)) == text


def test_anki_editor_html_reads_as_text():
    assert html_to_text("<div>Line 1</div><div>Line&nbsp;2<br></div>") == "Line 1\nLine 2"
    assert html_to_text("a\n<b>bold</b>\n\\( x^2 \\)") == "a **bold** $x^2$"
    assert html_to_text("<ul><li>one</li><li>two <i>it</i></li></ul>after") == "- one\n- two *it*\nafter"
    assert html_to_text("<ol><li>one</li><li>two</li></ol>") == "1. one\n2. two"
    assert html_to_text('<img src="cat.png"> <a href="https://x.org">site</a>') == "![](cat.png) [site](https://x.org)"
    assert html_to_text("Q<br/><br/>&lt;tag&gt; &amp; [sound:x.mp3]") == "Q\n\n<tag> & [sound:x.mp3]"
    assert html_to_text("<style>.x { color: red }</style>visible<script>alert(1)</script>") == "visible"
    assert html_to_text('<pre><code class="language-py">x = 1\n</code></pre>') == "```py\nx = 1\n```"
    assert html_to_text("\\[ E = mc^2 \\]") == "$$E = mc^2$$"


def test_fields_with_one_item_per_line_and_lists():
    assert html_to_lines("d2l 5.1<br>NNDL ch4<br><br>") == ["d2l 5.1", "NNDL ch4"]
    assert list_items('<ol type="A"><li>One</li><li><code>g</code> &amp; h</li></ol>') == ["One", "`g` & h"]
