"""The Anki note types studyctl exports (basic, basic and reversed, cloze, choice, typed), as plain data.

Anki matches an imported note type by id and by a hash of its field names and template
names. Same id and same names: Anki keeps one note type and updates it when ours is newer.
A renamed field or template makes Anki add a copy of the note type and refuse to update the
notes already imported ("conflicting"), so the ids and the names below are frozen: change the
templates' HTML and the CSS freely (a re-export carries them over), never rename or reorder
fields and templates of a released model; add a new model with a new id instead.

The importer reads these specs too (genanki-free) to map studyctl's own notes back exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

# Fixed ids (genanki's advice: random numbers in [2**30, 2**31)); never reuse or change them.
BASIC_ID = 1893526011
CLOZE_ID = 1893526012
CHOICE_ID = 1893526013
TYPED_ID = 1893526014
BASIC_REVERSED_ID = 1893526015

_EXTRA = (
    '{{#Chinese}}<div class="zh">中文: {{Chinese}}</div>{{/Chinese}}{{#Refs}}<div class="refs">{{Refs}}</div>{{/Refs}}'
)


@dataclass(frozen=True)
class NoteModel:
    """One note type: which studyctl card type it carries, its fields and its one template."""

    id: int
    name: str
    card_type: str
    fields: tuple[str, ...]
    template_name: str
    qfmt: str
    afmt: str
    more_templates: tuple[tuple[str, str, str], ...] = ()  # (name, qfmt, afmt) of ord 1, ...

    @property
    def is_cloze(self) -> bool:
        return self.card_type == "cloze"

    @property
    def key(self) -> str:
        """The card type, or "basic-reversed" for basic cards with `reverse: true`."""
        return f"{self.card_type}-reversed" if self.more_templates and self.card_type == "basic" else self.card_type

    @property
    def templates(self) -> list[dict[str, str]]:
        first = {"name": self.template_name, "qfmt": self.qfmt, "afmt": self.afmt}
        return [first, *({"name": n, "qfmt": q, "afmt": a} for n, q, a in self.more_templates)]


BASIC = NoteModel(
    BASIC_ID,
    "studyctl basic",
    "basic",
    ("Front", "Back", "Chinese", "Refs"),
    "Card 1",
    '<div class="front">{{Front}}</div>',
    '{{FrontSide}}\n<hr id="answer">\n<div class="back">{{Back}}</div>' + _EXTRA,
)

BASIC_REVERSED = NoteModel(
    BASIC_REVERSED_ID,
    "studyctl basic and reversed",
    "basic",
    ("Front", "Back", "Chinese", "Refs"),
    "Card 1",
    BASIC.qfmt,
    BASIC.afmt,
    (
        (
            "Card 2",
            '<div class="front">{{Back}}</div>',
            '{{FrontSide}}\n<hr id="answer">\n<div class="back">{{Front}}</div>' + _EXTRA,
        ),
    ),
)

CLOZE = NoteModel(
    CLOZE_ID,
    "studyctl cloze",
    "cloze",
    ("Text", "Back Extra", "Chinese", "Refs"),
    "Cloze",
    '<div class="front">{{cloze:Text}}</div>',
    '<div class="front">{{cloze:Text}}</div>\n<hr id="answer">'
    '{{#Back Extra}}<div class="back">{{Back Extra}}</div>{{/Back Extra}}' + _EXTRA,
)

CHOICE = NoteModel(
    CHOICE_ID,
    "studyctl choice",
    "choice",
    ("Question", "Choices", "Answer", "Explanation", "Chinese", "Refs"),
    "Card 1",
    '<div class="front">{{Question}}</div>\n<div class="choices">{{Choices}}</div>',
    '{{FrontSide}}\n<hr id="answer">\n<div class="answer">{{Answer}}</div>'
    '{{#Explanation}}<div class="back">{{Explanation}}</div>{{/Explanation}}' + _EXTRA,
)

TYPED = NoteModel(
    TYPED_ID,
    "studyctl typed",
    "typed",
    ("Question", "Answer", "Accept", "Tolerance", "Explanation", "Chinese", "Refs"),
    "Card 1",
    '<div class="front">{{Question}}</div>\n{{type:Answer}}',
    '<div class="front">{{Question}}</div>\n<hr id="answer">\n{{type:Answer}}'
    '{{#Tolerance}}<div class="accept">± {{Tolerance}}</div>{{/Tolerance}}'
    '{{#Accept}}<div class="accept">Also accepted:<br>{{Accept}}</div>{{/Accept}}'
    '{{#Explanation}}<div class="back">{{Explanation}}</div>{{/Explanation}}' + _EXTRA,
)

MODELS = {model.key: model for model in (BASIC, BASIC_REVERSED, CLOZE, CHOICE, TYPED)}
MODELS_BY_ID = {model.id: model for model in MODELS.values()}

CSS = """\
.card { font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif;
  font-size: 20px; line-height: 1.5; text-align: left; color: #1d1d1f; background-color: #fff;
  max-width: 42em; margin: 0 auto; }
.nightMode.card, .night_mode .card { color: #e6e6e6; background-color: #1e1e1e; }
.back, .answer, .accept { margin-top: 0.6em; }
.answer { font-weight: bold; }
.accept { font-size: 0.85em; opacity: 0.8; }
.zh { margin-top: 0.8em; font-size: 0.9em; opacity: 0.85; }
.refs { margin-top: 0.4em; font-size: 0.7em; opacity: 0.65; }
.choices ol { padding-left: 1.6em; }
.choices li { margin: 0.2em 0; }
.cloze { font-weight: bold; color: #0050b3; }
.nightMode .cloze { color: #69b1ff; }
code { font-family: "JetBrains Mono", Menlo, Consolas, monospace; font-size: 0.9em;
  background: rgba(127, 127, 127, 0.15); padding: 0 0.2em; border-radius: 3px; }
pre.code { font-family: "JetBrains Mono", Menlo, Consolas, monospace; font-size: 0.75em; line-height: 1.35;
  color: #000; background: #f8f8f8; padding: 0.6em 0.8em; border-radius: 6px; overflow-x: auto; text-align: left; }
pre.code code { background: none; padding: 0; font-size: 1em; }
"""


def model_spec(model: NoteModel) -> dict:
    """Everything that defines a model in Anki; its hash decides when Anki must update it."""
    return {
        "id": model.id,
        "name": model.name,
        "fields": list(model.fields),
        "templates": model.templates,
        "css": CSS,
        "cloze": model.is_cloze,
    }


def genanki_models() -> dict:
    """The genanki.Model of each card type (imports genanki: call it on the export path only)."""
    import genanki

    built = {}
    for key, model in MODELS.items():
        spec = model_spec(model)
        built[key] = genanki.Model(
            model.id,
            model.name,
            fields=[{"name": name} for name in model.fields],
            templates=spec["templates"],
            css=CSS,
            model_type=genanki.Model.CLOZE if model.is_cloze else genanki.Model.FRONT_BACK,
        )
    return built
