"""Turn a parsed deck file into a Deck, checking every card against its type's rules."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from studyctl.content import cloze
from studyctl.content.fields import Fields, describe, line_of
from studyctl.content.issues import ContentError, Issue
from studyctl.content.model.deck import CARD_TYPES, Card, Deck
from studyctl.i18n import _

DECK_KEYS = {"id", "title", "title_zh", "description", "tags", "cards"}
CARD_KEYS = {
    "id",
    "type",
    "front",
    "back",
    "text",
    "zh",
    "refs",
    "tags",
    "choices",
    "answer",
    "accept",
    "tolerance",
    "reverse",
    "guid",
    "front_zh",
    "text_zh",
    "back_zh",
}


def load_deck(path: Path, cache=None) -> tuple[Deck, list[Issue]]:
    """Read a deck file. Raises ContentError if it has errors; returns warnings otherwise."""
    from studyctl.content.parsecache import load_through_cache

    return load_through_cache(path, deck_from_data, cache)


def deck_from_data(data, path: Path) -> tuple[Deck, list[Issue]]:
    issues: list[Issue] = []
    if not isinstance(data, dict):
        raise ContentError(
            [
                Issue(
                    path,
                    1,
                    _("a deck file should be a mapping with 'id', 'title' and 'cards', got {value}").format(
                        value=describe(data)
                    ),
                )
            ]
        )
    fields = Fields(data, path, issues, _("deck"))
    fields.unknown_keys(DECK_KEYS)
    deck_id = fields.slug("id")
    if deck_id and deck_id != path.stem:
        fields.warn(
            "id",
            _("deck id '{id}' differs from the file name '{name}'; keep them equal so the deck is easy to find").format(
                id=deck_id, name=path.stem
            ),
        )
    title = fields.text("title", required=True)
    raw_cards = fields.get("cards", list, required=True, default=[])
    if "cards" in data and isinstance(raw_cards, list) and not raw_cards:
        fields.error("cards", _("deck: 'cards' is empty; a deck needs at least one card"))
    cards: list[Card] = []
    first_line: dict[str, int] = {}
    for index, raw in enumerate(raw_cards):
        line = line_of(raw_cards, index) or 0
        if not isinstance(raw, dict):
            issues.append(
                Issue(
                    path,
                    line,
                    _("card #{number}: should be a mapping with 'id' and 'type', got {value}").format(
                        number=index + 1, value=describe(raw)
                    ),
                )
            )
            continue
        card = _card(raw, path, issues, index, line)
        card_id = raw.get("id")  # checked even when the card has other errors: report all in one pass
        if isinstance(card_id, str) and card_id in first_line:
            issues.append(
                Issue(
                    path,
                    line,
                    _("duplicate card id '{id}' (first used on line {line})").format(
                        id=card_id, line=first_line[card_id]
                    ),
                )
            )
            continue
        if isinstance(card_id, str):
            first_line[card_id] = line
        if card is not None:
            cards.append(card)
    if any(issue.is_error for issue in issues):
        raise ContentError(issues)
    deck = Deck(
        id=deck_id,
        title=title,
        path=path,
        cards=tuple(cards),
        title_zh=fields.text("title_zh"),
        description=fields.text("description"),
        tags=tuple(fields.strings("tags")),
    )
    return deck, issues


def _card(raw, path: Path, issues: list[Issue], index: int, line: int) -> Card | None:
    label = (
        _("card '{id}'").format(id=raw.get("id"))
        if isinstance(raw.get("id"), str)
        else _("card #{number}").format(number=index + 1)
    )
    fields = Fields(raw, path, issues, label)
    errors_before = sum(issue.is_error for issue in issues)
    fields.unknown_keys(CARD_KEYS)
    card_id = fields.slug("id")
    card_type = fields.get("type", str, required=True, default="")
    if card_type and card_type not in CARD_TYPES:
        fields.error(
            "type",
            _("{label}: '{key}' should be one of {choices}, got {value}").format(
                label=label, key="type", choices=", ".join(CARD_TYPES), value=repr(card_type)
            ),
        )
    common = dict(
        id=card_id,
        type=card_type,
        zh=fields.text("zh"),
        refs=tuple(fields.strings("refs")),
        tags=tuple(fields.strings("tags")),
        back=fields.text("back", required=card_type == "basic"),
        line=line,
        guid=fields.text("guid"),
        back_zh=fields.text("back_zh"),
    )
    reverse = fields.get("reverse", bool, default=False)
    if reverse and card_type != "basic":
        fields.error(
            "reverse", _("{label}: 'reverse' is for basic cards (a second card, back to front)").format(label=label)
        )
    if card_type == "cloze":
        text = fields.text("text", required=True)
        _check_cloze(text, fields, label)
        text_zh = fields.text("text_zh")
        _check_cloze_translation(text, text_zh, fields, label)
        card = Card(front=text, front_zh=text_zh, **common)
    else:
        if "text_zh" in raw:
            fields.error("text_zh", _("{label}: 'text_zh' is for cloze cards; use 'front_zh'").format(label=label))
        front = fields.text("front", required=bool(card_type))
        front_zh = fields.text("front_zh")
        card = Card(front=front, front_zh=front_zh, reverse=bool(reverse) and card_type == "basic", **common)
        if card_type == "choice":
            card = _with_choices(card, fields, label)
        elif card_type == "typed":
            card = _with_typed_answer(card, fields, label)
    if sum(issue.is_error for issue in issues) > errors_before:
        return None
    return card


def _check_cloze_translation(text: str, text_zh: str, fields: Fields, label: str) -> None:
    """A cloze card's Chinese text hides the same deletions, or review would ask for a number
    the Chinese text doesn't have."""
    if not text or not text_zh:
        return
    _check_cloze(text_zh, fields, label)
    if cloze.parse(text_zh).ordinals != cloze.parse(text).ordinals:
        fields.error(
            "text_zh",
            _("{label}: 'text_zh' should have the same deletions as 'text' ({deletions})").format(
                label=label, deletions=", ".join(f"c{n}" for n in cloze.parse(text).ordinals)
            ),
        )


def _check_cloze(text: str, fields: Fields, label: str) -> None:
    """Deletions parsed as Anki parses them; what Anki would show as typed text is an error."""
    if not text:
        return
    parsed = cloze.parse(text)
    if parsed.unclosed:
        fields.error(
            "text",
            _("{label}: cloze deletion {opening} is never closed with }}}}; Anki would show it as typed text").format(
                label=label, opening=parsed.unclosed[0]
            ),
        )
    elif not parsed.ordinals:
        fields.error(
            "text",
            _("{label}: cloze 'text' should contain at least one deletion like {{{{c1::answer}}}}").format(label=label),
        )
    elif 0 in parsed.ordinals:
        fields.error("text", _("{label}: cloze numbers start at 1 ({{{{c0::...}}}} found)").format(label=label))


def _with_choices(card: Card, fields: Fields, label: str) -> Card:
    choices = fields.strings("choices")
    if "choices" not in fields.data:
        fields.error(
            None, _("{label}: missing required field 'choices' (a list of 2 to 8 options)").format(label=label)
        )
    elif not 2 <= len(choices) <= 8 or len(set(choices)) != len(choices):
        fields.error(
            "choices",
            _("{label}: 'choices' should be 2 to 8 different options, got {count} ({different} different)").format(
                label=label, count=len(choices), different=len(set(choices))
            ),
        )
    answer = fields.text("answer", required=True)
    if answer and choices and answer not in choices:
        fields.error(
            "answer",
            _("{label}: 'answer' {answer} should be exactly one of the choices").format(
                label=label, answer=repr(answer)
            ),
        )
    return replace(card, choices=tuple(choices), answer=answer)


def _with_typed_answer(card: Card, fields: Fields, label: str) -> Card:
    answer = fields.text("answer", required=True)
    tolerance = fields.get("tolerance", float)
    if tolerance is not None:
        if tolerance < 0:
            fields.error(
                "tolerance",
                _("{label}: 'tolerance' should be zero or more, got {value}").format(label=label, value=tolerance),
            )
        if not _is_number(answer):
            fields.error(
                "tolerance",
                _("{label}: 'tolerance' needs a numeric 'answer', got {answer}").format(
                    label=label, answer=repr(answer)
                ),
            )
    return replace(card, answer=answer, accept=tuple(fields.strings("accept")), tolerance=tolerance)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
