"""The interview decks: size, auto-gradable share, Chinese terms and references, no duplicates,
every topic the seeds name, and every auto-graded card grading its own answer."""

import re
from collections import Counter

import pytest

from studyctl import paths
from studyctl.content.library import load_library
from studyctl.srs.grading import grade_choice, grade_typed

# topic: (deck, words that must each appear in its cards; "a|b" accepts either spelling)
TOPICS = {
    "maths": ("math-for-dl", ["eigen", "norm", "gradient", "taylor", "bayes", "conditional", "likelihood"]),
    "data stack": ("python-data-stack", ["broadcast", "pandas", "groupby", "numpy"]),
    "pytorch": ("pytorch-basics", ["autograd", "nn.module", "dataloader", "zero_grad", "device"]),
    "classic ml": (
        "classic-ml",
        [
            "overfit",
            "regulari",
            "cross-validation",
            "perceptron",
            "naive bayes",
            "decision tree",
            "logistic",
            "maximum entropy",
            "boosting",
            "gbdt",
            "xgboost",
            "svm",
            "knn",
            "pca",
            "k-means",
        ],
    ),
    "competitions": ("ml-competition", ["eda", "feature", "validation", "stacking", "leak"]),
    "dl fundamentals": (
        "dl-fundamentals",
        [
            "backprop",
            "loss",
            "sgd",
            "momentum",
            "adam",
            "initiali",
            "dropout",
            "batch norm|batchnorm",
            "layer norm|layernorm",
            "vanishing",
            "universal approximation",
        ],
    ),
    "cnn": ("cnn-cv", ["convolution", "pooling", "receptive field", "resnet", "detection"]),
    "sequence models": ("rnn-seq2seq", ["rnn", "gru", "lstm", "seq2seq", "attention"]),
    "transformers": (
        "transformers",
        ["self-attention", "multi-head", "positional", "mask", "language model", "bert", "gpt"],
    ),
    "word vectors": ("nlp-word-vectors", ["word2vec", "glove", "fasttext"]),
    "nlp tasks": ("nlp-tasks", ["textcnn", "textrnn", "matching", "crf", "token"]),
}


@pytest.fixture(scope="module")
def decks():
    library = load_library([paths.builtin_content_root()])
    assert [i for i in library.issues if i.path.parent.name == "decks"] == []  # validate is clean
    return library.decks


def text_of(card) -> str:
    return " ".join([card.id, card.front, card.back, card.answer, card.zh, *card.choices]).lower()


def test_at_least_400_cards_in_at_least_12_decks(decks):
    assert len(decks) >= 12
    assert sum(len(d.cards) for d in decks.values()) >= 400
    assert all(len(d.cards) >= 25 for d in decks.values()), {d.id: len(d.cards) for d in decks.values()}


def test_a_quarter_is_auto_gradable_with_arithmetic(decks):
    cards = [c for d in decks.values() for c in d.cards]
    auto = [c for c in cards if c.type in ("typed", "choice", "cloze")]
    assert len(auto) / len(cards) >= 0.25
    numeric = [c for c in cards if c.type == "typed" and re.fullmatch(r"-?[\d.]+(e-?\d+)?", c.answer)]
    assert len(numeric) >= 40  # shape / arithmetic cards: conv sizes, parameter counts, ...


def test_every_card_has_a_chinese_term_and_a_reference(decks):
    missing = [f"{d.id}/{c.id}" for d in decks.values() for c in d.cards if not (c.zh and c.refs)]
    assert missing == []


def test_no_duplicate_ids_or_fronts(decks):
    ids = Counter(f"{d.id}/{c.id}" for d in decks.values() for c in d.cards)
    assert [k for k, n in ids.items() if n > 1] == []
    fronts = Counter(re.sub(r"\W+", " ", c.front.lower()).strip() for d in decks.values() for c in d.cards)
    assert [k for k, n in fronts.items() if n > 1] == []


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_seed_topic_has_cards(decks, topic):
    deck_id, words = TOPICS[topic]
    text = " ".join(text_of(c) for c in decks[deck_id].cards)
    missing = [w for w in words if not any(alt in text for alt in w.split("|"))]
    assert missing == [], f"{deck_id} says nothing about {missing}"


def test_auto_graded_cards_grade_their_own_answer(decks):
    for deck in decks.values():
        for card in deck.cards:
            where = f"{deck.id}/{card.id}"
            if card.type == "typed":
                assert grade_typed(card.answer, card.answer, card.accept, card.tolerance).correct, where
                for alternative in card.accept:
                    assert grade_typed(alternative, card.answer, card.accept, card.tolerance).correct, where
                assert not grade_typed("certainly not this", card.answer, card.accept, card.tolerance).correct, where
                assert not grade_typed("-123456.789", card.answer, card.accept, card.tolerance).correct, where
            elif card.type == "choice":
                right = card.choices.index(card.answer) + 1
                assert grade_choice(str(right), list(card.choices), card.answer).correct, where
                for number in range(1, len(card.choices) + 1):
                    if number != right:
                        assert not grade_choice(str(number), list(card.choices), card.answer).correct, where
