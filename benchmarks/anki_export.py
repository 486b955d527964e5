"""Anki export at scale: 5,000 generated cards (all four types; some code blocks and math).

Measures, in a temporary STUDYCTL_HOME:
- `studyctl export anki` as a whole process (loading the YAML decks, rendering, writing the .apkg);
- the export alone, in process: a first export (every note new) and a re-export of unchanged
  content (every stamp reused; the output is byte-identical).

    .venv/bin/python benchmarks/anki_export.py [--cards 5000] [--decks 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CARD_TEMPLATES = [
    "  - {{id: c{i}, type: basic, front: 'What is concept {i}?', back: 'It is $x_{{{i}}} < y$ and `code {i}`.',"
    " zh: 概念{i}, refs: ['book ch{i}'], tags: [t{t}]}}",
    "  - {{id: c{i}, type: cloze, text: 'Concept {i} is {{{{c1::answer {i}}}}} with {{{{c2::detail}}}}.',"
    " zh: 概念{i}, refs: ['book ch{i}']}}",
    "  - {{id: c{i}, type: choice, front: 'Pick {i}', choices: ['a {i}', 'b {i}', 'c {i}'], answer: 'b {i}',"
    " zh: 选择{i}, refs: ['book ch{i}']}}",
    "  - {{id: c{i}, type: typed, front: 'Width {i}?', answer: {i}, accept: ['{i} px'], zh: 宽度, refs: ['d2l 7.3']}}",
]
CODE_CARD = """  - id: c{i}
    type: basic
    front: What does this print?
    back: |
      ```python
      for i in range({i}):
          print(i ** 2 if i < 3 else "<big>")
      ```
      It prints squares, then $\\infty$.
    zh: 代码
    refs: [python docs]
"""


def write_decks(root: Path, cards: int, decks: int) -> None:
    folder = root / "decks"
    folder.mkdir(parents=True)
    per_deck = cards // decks
    for d in range(decks):
        lines = [f"id: bench-{d}", f"title: Benchmark deck {d}", "tags: [bench]", "cards:"]
        for i in range(per_deck):
            if i % 10 == 9:
                lines.append(CODE_CARD.format(i=i).rstrip("\n"))
            else:
                lines.append(CARD_TEMPLATES[i % len(CARD_TEMPLATES)].format(i=i, t=i % 7))
        (folder / f"bench-{d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--decks", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        home, content = scratch / "home", scratch / "content"
        write_decks(content, args.cards, args.decks)
        env = dict(os.environ, STUDYCTL_HOME=str(home))
        deck_args = [arg for d in range(args.decks) for arg in ("--deck", f"bench-{d}")]

        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "studyctl", "--content", str(content), "export", "anki", *deck_args,
             "-o", str(scratch / "cli.apkg")],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        cli_seconds = time.perf_counter() - started

        from studyctl.anki.export import export_decks
        from studyctl.anki.stamps import Stamps
        from studyctl.content.decks import load_deck

        decks = [load_deck(path)[0] for path in sorted((content / "decks").glob("*.yaml"))]
        cards = sum(len(deck.cards) for deck in decks)

        started = time.perf_counter()
        stamps = Stamps(None)
        result = export_decks(decks, scratch / "first.apkg", stamps)
        first_seconds = time.perf_counter() - started

        started = time.perf_counter()
        stamps = Stamps(stamps.entries)
        export_decks(decks, scratch / "again.apkg", stamps)
        again_seconds = time.perf_counter() - started

        identical = (scratch / "first.apkg").read_bytes() == (scratch / "again.apkg").read_bytes()
        size = (scratch / "first.apkg").stat().st_size
        print(
            f"{cards} cards in {len(decks)} decks: {result.notes} notes, {result.cards} Anki cards, {size / 1e6:.1f} MB"
        )
        print(f"studyctl export anki (whole process, YAML to .apkg): {cli_seconds:6.2f} s")
        print(f"export_decks, first export:                         {first_seconds:6.2f} s")
        print(
            f"export_decks, unchanged re-export:                  {again_seconds:6.2f} s (identical bytes: {identical})"
        )


if __name__ == "__main__":
    main()
