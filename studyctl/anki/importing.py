"""Turn the notes of an Anki package into one studyctl deck (YAML the learner can edit).

Note types map to card types: studyctl's own note types (see `models`) map back field by
field; any other cloze note type gives cloze cards (Anki's {{cN::...}} is studyctl's syntax);
a note type whose front template has {{type:Field}} gives typed cards; everything else is
basic (front = first field, back = second; further non-empty fields are appended to the back
as "Field: value" so nothing is lost). HTML becomes text/Markdown (`html_text`). Card ids
are slugs of the card's first words (or of the note's GUID), unique in the deck; tags every
note shares become deck tags. Notes that can't make a valid card are skipped and reported.
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

from studyctl.anki.apkg import Collection, Note, Notetype, PackageError
from studyctl.anki.html_text import html_to_lines, html_to_text, list_items
from studyctl.anki.models import MODELS, MODELS_BY_ID, NoteModel
from studyctl.content.model.deck import CLOZE

_CLOZE_FIELD = re.compile(r"\{\{(?:[^}]*:)?cloze:([^}]+)\}\}")
_TYPE_FIELD = re.compile(r"\{\{type:(?!cloze:)(?:nc:)?([^}]+)\}\}")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_MEDIA = re.compile(r"<img\b|\[sound:", re.IGNORECASE)
SLUG_LENGTH = 48
CARD_KEYS = ("id", "type", "front", "text", "choices", "answer", "accept", "tolerance", "back", "zh", "refs", "tags")


@dataclass
class ImportedDeck:
    """A deck built from a package, ready to write; plus what the learner should be told."""

    id: str
    data: dict
    notes: int = 0
    skipped: list[str] = field(default_factory=list)
    anki_decks: list[str] = field(default_factory=list)
    media: int = 0

    @property
    def cards(self) -> list[dict]:
        return self.data["cards"]


def deck_from_package(collection: Collection, source: Path, deck_id: str | None = None) -> ImportedDeck:
    """Build the deck. Raises PackageError when the package has no notes or none usable."""
    if not collection.notes:
        raise PackageError(f"{source}: the package has no notes; nothing to import")
    deck_names = Counter(
        collection.decks.get(note.deck_id, ("", ""))[0] for note in collection.notes if note.deck_id is not None
    )
    anki_decks = [name for name, _ in deck_names.most_common() if name]
    deck_id = deck_id or _default_deck_id(anki_decks, source)
    imported = ImportedDeck(id=deck_id, data={}, notes=len(collection.notes), anki_decks=anki_decks)
    cards: list[dict] = []
    ids: set[str] = set()
    for note in collection.notes:
        imported.media += len(_MEDIA.findall("\x1f".join(note.fields)))
        notetype = collection.notetypes.get(note.notetype_id)
        if notetype is None:
            imported.skipped.append(f"note {note.id}: its note type {note.notetype_id} is missing from the package")
            continue
        card = card_from_note(note, notetype)
        if isinstance(card, str):
            imported.skipped.append(f"note {note.id} ({_excerpt(note)}): {card}")
            continue
        card = {"id": _unique(_card_slug(card, note), ids), **card}
        cards.append(card)
    if not cards:
        reasons = "; ".join(imported.skipped[:3])
        raise PackageError(f"{source}: none of the {len(collection.notes)} notes makes a studyctl card ({reasons})")
    imported.data = _deck_data(deck_id, cards, collection, anki_decks, source)
    _drop_invalid_cards(imported)
    return imported


def card_from_note(note: Note, notetype: Notetype) -> dict | str:
    """The card for one note (without its id), or the reason it can't become one."""
    own = _own_model(notetype)
    if own is not None:
        card = _from_own_model(note, own)
    elif notetype.is_cloze:
        card = _from_cloze(note, notetype)
    elif any(_TYPE_FIELD.search(question) for question, _ in notetype.templates):
        card = _from_typed(note, notetype)
    else:
        card = _from_basic(note, notetype)
    if isinstance(card, str):
        return card
    tags = [tag for tag in note.tags if tag]
    if tags:
        card["tags"] = tags
    return {key: card[key] for key in CARD_KEYS if card.get(key) not in (None, "", [])}


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
        answer=html_to_text(values["Answer"]),
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
    answer = html_to_text(values.get(typed, ""))
    if not answer or "\n" in answer:
        return _from_basic(note, notetype)
    card = {"type": "typed", "front": html_to_text(values.get(front_field, "")), "answer": answer}
    card["back"] = _rest(values, exclude={typed, front_field})
    return _checked_typed(card)


def _from_basic(note: Note, notetype: Notetype) -> dict | str:
    names = notetype.fields or tuple(f"Field {i + 1}" for i in range(len(note.fields)))
    values = _values(note, names)
    front_field = names[0]
    back_field = names[1] if len(names) > 1 else ""
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
    if not CLOZE.search(card.get("text", "")):
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
    source = CLOZE.sub(lambda m: m.group(2), card.get("text") or card.get("front") or "")
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
        raise PackageError(f"{imported.id}: none of the notes makes a valid studyctl card")
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
