"""Turn the notes of an Anki package into one studyctl deck (YAML the learner can edit).

Note types map to card types: studyctl's own note types (see `models`) map back field by
field; any other cloze note type gives cloze cards (Anki's {{cN::...}} is studyctl's syntax);
a note type whose front template has {{type:Field}} gives typed cards; one with two templates
that ask one field and then the other (Basic-and-reversed) gives a basic card with
`reverse: true`; any other note type with several templates gives one basic card per template
the note has cards for, each side rendered from its template. Everything else is basic
(front = first field, back = second; further non-empty fields are appended to the back as
"Field: value" so nothing is lost). HTML becomes Markdown (`html_text`); type-in answers
plain text. Every card keeps its note's GUID (`guid:`), so a re-export updates that note in
Anki, and the review history can find it. Sub-decks become tags (`Sub::Deck`); media files
the notes use are listed for the caller to copy. Card ids are slugs of the card's first words
(or of the note's GUID), unique in the deck; tags every note shares become deck tags. Notes
that can't make a valid card are skipped and reported.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyctl.anki.apkg import Collection, Note, Notetype, PackageError, safe_media_name
from studyctl.anki.html_text import html_to_lines, html_to_plain, html_to_text, list_items
from studyctl.anki.identity import TEMPLATE_MARK
from studyctl.anki.models import MODELS, MODELS_BY_ID, NoteModel
from studyctl.content import cloze
from studyctl.i18n import _

_CLOZE_FIELD = re.compile(r"\{\{(?:[^}]*:)?cloze:([^}]+)\}\}")
_TYPE_FIELD = re.compile(r"\{\{type:(?!cloze:)(?:nc:)?([^}]+)\}\}")
_FIELD_REF = re.compile(r"\{\{([^#^/}][^}]*)\}\}")
_SECTION = re.compile(r"\{\{([#^])([^}]+)\}\}(.*?)\{\{/\2\}\}", re.DOTALL)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_MEDIA_REFS = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)|\[sound:([^\]]+)\]""", re.IGNORECASE)
_ANSWER_RULE = re.compile(r"<hr[^>]*id\s*=\s*[\"']?answer[^>]*>", re.IGNORECASE)
SPECIAL_FIELDS = {"FrontSide", "Tags", "Deck", "Subdeck", "Card", "CardFlag", "Type"}
SLUG_LENGTH = 48
CARD_KEYS = (
    *("id", "type", "front", "text", "reverse", "choices", "answer", "accept", "tolerance"),
    *("back", "zh", "refs", "tags", "guid"),
)


@dataclass
class ImportedDeck:
    """A deck built from a package, ready to write; plus what the learner should be told."""

    id: str
    data: dict
    notes: int = 0
    skipped: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # cards of a note that did not come along
    anki_decks: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # media file names the cards refer to

    @property
    def cards(self) -> list[dict]:
        return self.data["cards"]


def deck_from_package(collection: Collection, source: Path, deck_id: str | None = None) -> ImportedDeck:
    """Build the deck from the collection's notes. Raises PackageError when there are no notes
    or none usable."""
    if not collection.notes:
        raise PackageError(_("{file}: the package has no notes; nothing to import").format(file=source))
    deck_names = Counter(
        collection.decks.get(note.deck_id, ("", ""))[0] for note in collection.notes if note.deck_id is not None
    )
    anki_decks = [name for name, _ in deck_names.most_common() if name]
    common = _common_deck(anki_decks)
    deck_id = deck_id or _default_deck_id(anki_decks, source)
    imported = ImportedDeck(id=deck_id, data={}, notes=len(collection.notes), anki_decks=anki_decks)
    ords: dict[int, set[int]] = {}
    for anki_card in collection.cards:
        ords.setdefault(anki_card.note_id, set()).add(anki_card.ord)
    cards: list[dict] = []
    ids: set[str] = set()
    media: dict[str, None] = {}
    for note in collection.notes:
        for match in _MEDIA_REFS.finditer("\x1f".join(note.fields)):
            name = match.group(1) or match.group(2)
            if name and safe_media_name(name):
                media[name] = None
        notetype = collection.notetypes.get(note.notetype_id)
        if notetype is None:
            imported.skipped.append(f"note {note.id}: its note type {note.notetype_id} is missing from the package")
            continue
        made = cards_from_note(note, notetype, ords.get(note.id), imported.dropped)
        if isinstance(made, str):
            imported.skipped.append(f"note {note.id} ({_excerpt(note)}): {made}")
            continue
        sub_deck = _sub_deck(collection.decks.get(note.deck_id or 0, ("", ""))[0], common)
        base = ""
        for index, card in enumerate(made):
            if sub_deck:
                card["tags"] = [*card.get("tags", []), sub_deck]
            if index == 0:
                base = _unique(_card_slug(card, note), ids)
                card = {"id": base, **card}
            else:
                card = {"id": _unique(f"{base}-card-{index + 1}", ids), **card}
            cards.append(card)
    if not cards:
        reasons = "; ".join(imported.skipped[:3])
        raise PackageError(
            _("{file}: none of the {count} notes makes a studyctl card ({reasons})").format(
                file=source, count=len(collection.notes), reasons=reasons
            )
        )
    imported.media = list(media)
    imported.data = _deck_data(deck_id, cards, collection, anki_decks, source)
    _drop_invalid_cards(imported)
    return imported


def cards_from_note(
    note: Note, notetype: Notetype, ords: set[int] | None = None, dropped: list[str] | None = None
) -> list[dict] | str:
    """The cards for one note (without their ids), or the reason it can't make any. `ords`: the
    template numbers the note has cards for in the package (None: unknown, assume all); cards
    of the note that can't come along are described in `dropped`."""
    own = _own_model(notetype)
    made: list[dict | str]
    if own is not None:
        made = [_from_own_model(note, own)]
    elif notetype.is_cloze:
        made = [_from_cloze(note, notetype)]
    elif any(_TYPE_FIELD.search(question) for question, _ in notetype.templates):
        made = [_from_typed(note, notetype)]
    elif len(notetype.templates) > 1:
        made = _from_templates(note, notetype, ords)
    else:
        made = [_from_basic(note, notetype)]
    if made and isinstance(made[0], str):
        return made[0]
    tags = [tag for tag in note.tags if tag]
    cards = []
    for index, card in enumerate(made):
        if isinstance(card, str):
            if dropped is not None:
                dropped.append(f"a card of note {note.id} ({_excerpt(note)}): {card}")
            continue
        if tags:
            card["tags"] = list(tags)
        guid = card.pop("guid", note.guid)
        card["guid"] = guid if index == 0 or TEMPLATE_MARK in guid else note.guid
        cards.append({key: card[key] for key in CARD_KEYS if _kept(card.get(key))})
    return cards


def _kept(value: object) -> bool:
    return value is not None and value is not False and value != "" and value != []


def card_from_note(note: Note, notetype: Notetype) -> dict | str:
    """The first card of one note (kept for callers that make one card per note)."""
    made = cards_from_note(note, notetype)
    return made if isinstance(made, str) else made[0]


def _from_templates(note: Note, notetype: Notetype, ords: set[int] | None) -> list[dict | str]:
    """A note type with several templates: Basic-and-reversed (two templates asking one field,
    then the other) becomes one reversed basic card; any other, one card per template."""
    values = _values(note, notetype.fields)
    asked = [_question_fields(question, notetype.fields) for question, _ in notetype.templates]
    present = sorted(ords) if ords is not None else list(range(len(notetype.templates)))
    answers = [_question_fields(answer, notetype.fields) for _, answer in notetype.templates]
    if (
        len(notetype.templates) == 2
        and len(asked[0]) == 1
        and len(asked[1]) == 1
        and asked[0] != asked[1]
        and asked[1][0] in answers[0]
        and asked[0][0] in answers[1]
        and present in ([0, 1], [0])
    ):
        front_field, back_field = asked[0][0], asked[1][0]
        card = _from_basic(note, notetype, front_field, back_field)
        if isinstance(card, dict) and present == [0, 1]:
            card["reverse"] = True
        return [card]
    made: list[dict | str] = []
    for ordinal in present:
        if ordinal >= len(notetype.templates):
            continue
        question, answer = notetype.templates[ordinal]
        front = html_to_text(render_template(question, values, note.tags))
        back_html = render_template(answer, values, note.tags, front_side="")
        back = html_to_text(_ANSWER_RULE.split(back_html, 1)[-1])
        if not front or not back:
            name = notetype.template_names[ordinal] if ordinal < len(notetype.template_names) else ordinal + 1
            made.append(f"template {name!r} renders an empty side")
            continue
        made.append({"type": "basic", "front": front, "back": back, "guid": f"{note.guid}{TEMPLATE_MARK}{ordinal}"})
    if all(isinstance(card, str) for card in made):
        return made[:1] or ["no template makes a card"]
    return made


def _question_fields(template: str, names: tuple[str, ...]) -> list[str]:
    """The note fields a template shows, in order (conditionals and special fields left out)."""
    shown = []
    for reference in _FIELD_REF.findall(template):
        name = reference.split(":")[-1].strip()
        if name in names and name not in SPECIAL_FIELDS and name not in shown:
            shown.append(name)
    return shown


def render_template(template: str, values: dict[str, str], tags: tuple[str, ...], front_side: str = "") -> str:
    """Anki's template language, enough for card text: {{Field}}, {{filter:Field}},
    {{#Field}}...{{/Field}}, {{^Field}}...{{/Field}}, {{FrontSide}}, {{Tags}}; type-in boxes
    and unknown fields render empty."""

    def section(match: re.Match[str]) -> str:
        kind, name, inner = match.group(1), match.group(2).strip(), match.group(3)
        filled = bool(html_to_plain(values.get(name, "")).strip())
        return inner if filled == (kind == "#") else ""

    for _round in range(8):  # nested sections, innermost first
        rendered = _SECTION.sub(section, template)
        if rendered == template:
            break
        template = rendered

    def field_value(match: re.Match[str]) -> str:
        reference = match.group(1).strip()
        name = reference.split(":")[-1].strip()
        if reference.startswith("type:"):
            return ""
        if name == "FrontSide":
            return front_side
        if name == "Tags":
            return " ".join(tags)
        return values.get(name, "")

    return _FIELD_REF.sub(field_value, template)


def _own_model(notetype: Notetype) -> NoteModel | None:
    model = MODELS_BY_ID.get(notetype.id)
    if model is not None and model.fields == notetype.fields:
        return model
    for model in MODELS.values():  # an Anki that re-numbered our note type keeps its name and fields
        if notetype.name.startswith(model.name) and model.fields == notetype.fields:
            return model
    return None


def _values(note: Note, names: tuple[str, ...]) -> dict[str, str]:
    padded = list(note.fields) + [""] * max(0, len(names) - len(note.fields))
    return dict(zip(names, padded[: len(names)], strict=True))


def _from_own_model(note: Note, model: NoteModel) -> dict | str:
    values = _values(note, model.fields)
    card: dict[str, Any] = {
        "zh": " ".join(html_to_lines(values["Chinese"])),
        "refs": html_to_lines(values["Refs"]),
    }
    if model.card_type == "basic":
        card.update(type="basic", front=html_to_text(values["Front"]), back=html_to_text(values["Back"]))
        card["reverse"] = bool(model.more_templates)
        return _checked_basic(card)
    if model.card_type == "cloze":
        card.update(type="cloze", text=html_to_text(values["Text"]), back=html_to_text(values["Back Extra"]))
        return _checked_cloze(card)
    if model.card_type == "choice":
        front, answer = html_to_text(values["Question"]), html_to_text(values["Answer"])
        choices = list_items(values["Choices"])
        card.update(
            type="choice", front=front, choices=choices, answer=answer, back=html_to_text(values["Explanation"])
        )
        if 2 <= len(choices) <= 8 and len(set(choices)) == len(choices) and answer in choices:
            return card if front else "empty question"
        listed = "\n".join(f"- {choice}" for choice in choices)
        explanation = card.pop("back", "")
        card.update(type="basic", front=f"{front}\n{listed}".strip(), back=f"{answer}\n\n{explanation}".strip())
        del card["choices"], card["answer"]
        return _checked_basic(card)
    card.update(
        type="typed",
        front=html_to_text(values["Question"]),
        answer=html_to_plain(values["Answer"]),
        accept=html_to_lines(values["Accept"]),
        back=html_to_text(values["Explanation"]),
    )
    tolerance = _number(html_to_text(values["Tolerance"]))
    if tolerance is not None and tolerance >= 0 and _number(str(card["answer"])) is not None:
        card["tolerance"] = tolerance
    return _checked_typed(card)


def _from_cloze(note: Note, notetype: Notetype) -> dict | str:
    names = notetype.fields
    values = _values(note, names)
    cloze_fields = [m.strip() for question, _ in notetype.templates for m in _CLOZE_FIELD.findall(question)]
    text_field = next((name for name in cloze_fields if name in values), names[0] if names else "")
    card = {"type": "cloze", "text": html_to_text(values.get(text_field, ""))}
    card["back"] = _rest(values, exclude={text_field})
    return _checked_cloze(card)


def _from_typed(note: Note, notetype: Notetype) -> dict | str:
    values = _values(note, notetype.fields)
    typed = next(m.strip() for question, _ in notetype.templates for m in _TYPE_FIELD.findall(question))
    front_field = next((name for name in notetype.fields if name != typed), "")
    answer = html_to_plain(values.get(typed, ""))
    if not answer or "\n" in answer:
        return _from_basic(note, notetype)
    card = {"type": "typed", "front": html_to_text(values.get(front_field, "")), "answer": answer}
    card["back"] = _rest(values, exclude={typed, front_field})
    return _checked_typed(card)


def _from_basic(note: Note, notetype: Notetype, front: str = "", back: str = "") -> dict | str:
    names = notetype.fields or tuple(f"Field {i + 1}" for i in range(len(note.fields)))
    values = _values(note, names)
    front_field = front or names[0]
    back_field = back or (names[1] if len(names) > 1 else "")
    back = html_to_text(values.get(back_field, "")) if back_field else ""
    extra = _rest(values, exclude={front_field, back_field})
    card = {
        "type": "basic",
        "front": html_to_text(values[front_field]),
        "back": "\n\n".join(p for p in (back, extra) if p),
    }
    return _checked_basic(card)


def _rest(values: dict[str, str], exclude: set[str]) -> str:
    """The other non-empty fields: the first as it is, later ones as "Field: value"."""
    parts: list[str] = []
    for name, value in values.items():
        if name in exclude:
            continue
        text = html_to_text(value)
        if text:
            parts.append(text if not parts else f"{name}: {text}")
    return "\n\n".join(parts)


def _checked_basic(card: dict) -> dict | str:
    if not card.get("front"):
        return "empty front"
    if not card.get("back"):
        return "empty back (a basic card needs both sides)"
    return card


def _checked_cloze(card: dict) -> dict | str:
    if not cloze.parse(card.get("text", "")).ordinals:
        return "a cloze note without any {{c1::...}} deletion"
    return card


def _checked_typed(card: dict) -> dict | str:
    if not card.get("front"):
        return "empty question"
    if not card.get("answer"):
        return "empty answer"
    return card


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def slug(text: str, length: int = SLUG_LENGTH) -> str:
    """Lowercase ascii letters, digits and '-', cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > length:
        cut = words[:length]
        words = cut.rsplit("-", 1)[0] if "-" in cut[length // 2 :] else cut
    return words.strip("-")


def _card_slug(card: dict, note: Note) -> str:
    source = cloze.plain(card.get("text") or card.get("front") or "")
    source = re.sub(r"```.*?(```|$)", " ", source, flags=re.S)
    return slug(source) or "note-" + hashlib.sha1(note.guid.encode("utf-8")).hexdigest()[:10]


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


def _excerpt(note: Note) -> str:
    text = html_to_text(note.fields[0]) if note.fields else ""
    text = " ".join(text.split())
    return repr(text[:40] + "..." if len(text) > 40 else text)


def _sub_deck(name: str, common: str) -> str:
    """The Anki deck below the common parent, as a hierarchical tag ("French::Verbs")."""
    if not name or name == common:
        return ""
    rest = name[len(common) + 2 :] if common and name.startswith(common + "::") else name
    return "::".join("_".join(part.split()) for part in rest.split("::") if part.strip())


def _default_deck_id(anki_decks: list[str], source: Path) -> str:
    for name in (_common_deck(anki_decks).split("::")[-1], source.stem):
        if slug(name):
            return slug(name)
    return "imported"


def _common_deck(names: list[str]) -> str:
    if not names:
        return ""
    paths = [name.split("::") for name in names]
    common = []
    for parts in zip(*paths, strict=False):  # up to the shortest name
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "::".join(common)


def _deck_data(deck_id: str, cards: list[dict], collection: Collection, anki_decks: list[str], source: Path) -> dict:
    common = _common_deck(anki_decks)
    description_html = next((desc for name, desc in collection.decks.values() if name == common), "")
    lines = html_to_lines(description_html)
    title = common.split("::")[-1] if common else source.stem
    title_zh = description = ""
    if common.startswith("studyctl::") and lines:  # our own export: title, title_zh, description
        title = lines.pop(0)
        if lines and _CJK.search(lines[0]) and len(lines[0]) <= 40:
            title_zh = lines.pop(0)
    description = " ".join(lines)
    data: dict = {"id": deck_id, "title": title or deck_id}
    if title_zh:
        data["title_zh"] = title_zh
    data["description"] = description or f"Imported from {source.name}."
    shared = _shared_tags(cards)
    if shared:
        data["tags"] = shared
        for card in cards:
            rest = [tag for tag in card.get("tags", []) if tag not in shared]
            if rest:
                card["tags"] = rest
            else:
                card.pop("tags", None)
    data["cards"] = cards
    return data


def _shared_tags(cards: list[dict]) -> list[str]:
    first = cards[0].get("tags", [])
    return [tag for tag in first if all(tag in card.get("tags", []) for card in cards[1:])]


def _drop_invalid_cards(imported: ImportedDeck) -> None:
    """Keep only cards studyctl's own loader accepts (so the written file always validates)."""
    from studyctl.content.decks import deck_from_data
    from studyctl.content.issues import ContentError

    path = Path(f"{imported.id}.yaml")
    try:
        deck_from_data(imported.data, path)
        return
    except ContentError:
        pass
    kept = []
    for card in imported.cards:
        try:
            deck_from_data({**imported.data, "cards": [card]}, path)
        except ContentError as exc:
            imported.skipped.append(f"card {card['id']}: {exc.issues[0].message}")
            continue
        kept.append(card)
    if not kept:
        raise PackageError(_("{deck}: none of the notes makes a valid studyctl card").format(deck=imported.id))
    imported.data["cards"] = kept


def to_yaml(imported: ImportedDeck, source: Path) -> str:
    """The deck file's text: a header comment, then the deck, multi-line text as | blocks."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def represent_str(dumper, value: str):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)

    Dumper.add_representer(str, represent_str)
    body = yaml.dump(imported.data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=110)
    header = f"# Imported from {source.name} by `studyctl import anki`; edit freely, keep the card ids.\n"
    return header + body


def write_deck(text: str, target: Path) -> None:
    """Write atomically, after loading the written text back with studyctl's own deck loader:
    a reader never sees half a deck file, and a file that would not load is never written."""
    from studyctl.content.decks import load_deck

    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        load_deck(temporary)  # raises ContentError (file:line) if the YAML came out wrong
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
