"""Vietnamese word tokenizer for Rasa 3.6, built on underthesea ``word_tokenize``.

underthesea decides where words start and end ("cơ sở" is one word); the token text,
offsets and lemma always come from the *original* message, so entity offsets stay exact:

- underthesea rewrites its input (NFD→NFC, "Hoà"→"Hòa", "nghành"→"ngành", collapsed
  spaces), so its words are aligned back onto the message through diacritic-folded copies
  (``knowledge.text.fold_char_map``), never with ``str.index``;
- ``Token.text`` is the original slice in NFC with underthesea's tone placement and with
  the spaces inside a compound replaced by ``_`` ("cơ_sở"), so CountVectorsFeaturizer keeps
  compounds whole and "Hoà"/"Hòa"/NFD input give the same feature;
- multi-syllable words typed without any diacritic are split back into syllables (the
  segmentation model glues plain syllables at random: "toi ho", "ngheo co");
- ``Token.lemma`` is the folded, abbreviation-expanded form, syllables separated by spaces
  ("tgpl" → "tro giup phap ly", "Được" → "duoc"), for featurizers with ``use_lemma: True``,
  which makes a message typed without diacritics look like one typed with them.

Example: "Hoà giải ở cơ  sở" → Hòa[0:3] giải[4:8] ở[9:10] cơ_sở[11:17] (lemma "co so").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from knowledge.text import (
    expand_abbreviations,
    fold,
    fold_char_map,
    has_diacritics,
    nfc,
    normalize_tone_placement,
)

_WORDLIKE = re.compile(r"\w", re.UNICODE)
# Placeholder fold_char_map writes for a combining mark (NFD input).
_MARK = "\u0000"
# Look-alikes of "đ" that underthesea also corrects (Icelandic eth).
_ETH = str.maketrans({"ð": "đ", "Ð": "Đ"})

Span = tuple[int, int]


def _significant(folded: str) -> list[str]:
    """Characters of a folded word that take part in alignment (no spaces, no marks)."""
    return [
        c
        for c in folded
        if c != _MARK and not c.isspace() and unicodedata.category(c) != "Mn"
    ]


def _split_unreliable(words: list[str]) -> list[str]:
    """Split the multi-syllable words underthesea cannot be trusted with.

    - a word with a non-word piece ("chào 😀") becomes one token per piece;
    - a word typed without any diacritic ("toi ho", "ngheo co", "giang nha") becomes one
      token per syllable: the segmentation model was trained on text with diacritics and
      glues plain syllables at random, which would also cut across entity annotations.
    """
    out: list[str] = []
    for word in words:
        parts = word.split()
        if len(parts) > 1 and (
            not all(_WORDLIKE.search(p) for p in parts) or not has_diacritics(word)
        ):
            out.extend(parts)
        elif parts:
            out.append(word)
    return out


def align_streams(a: str, b: str, window: int = 8, anchor: int = 3) -> list[int | None]:
    """For each character of *a*, the index of the character of *b* it stands for, or None.

    A two-pointer walk in linear time: equal characters map one to one; on a mismatch the
    walk resynchronises on the nearest pair of positions (fewest characters skipped, at most
    *window* on each side) from which the next *anchor* characters agree. Characters skipped
    on both sides are taken as rewritten ("qui"→"quy", "ð"→"đ") and map pairwise; characters
    only *b* has ("nghành"→"ngành") are left out. (difflib would be quadratic here: a
    long message with one rewrite per sentence took minutes.)
    """
    out: list[int | None] = [None] * len(a)
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            out[i] = j
            i, j = i + 1, j + 1
            continue
        skip = _resync(a, b, i, j, window, anchor)
        if skip is None:  # no anchor nearby: one rewritten character
            out[i] = j
            i, j = i + 1, j + 1
            continue
        di, dj = skip
        for k in range(min(di, dj)):
            out[i + k] = j + k
        i, j = i + di, j + dj
    return out


def _resync(a: str, b: str, i: int, j: int, window: int, anchor: int) -> tuple[int, int] | None:
    """Smallest (di, dj), di + dj > 0, from which a[i+di:] and b[j+dj:] agree again."""
    for cost in range(1, 2 * window + 1):
        for di in range(max(0, cost - window), min(cost, window) + 1):
            ii, jj = i + di, j + cost - di
            if ii > len(a) or jj > len(b):
                continue
            n = min(anchor, len(a) - ii, len(b) - jj)
            at_both_ends = ii + n == len(a) and jj + n == len(b)
            if (n == anchor or at_both_ends) and a[ii : ii + n] == b[jj : jj + n]:
                return di, cost - di
    return None


def align_words(text: str, words: list[str]) -> list[Span]:
    """Character spans of *words* (as rewritten by underthesea) in the original *text*.

    Both sides are folded and stripped of whitespace and combining marks; the common case
    (identical streams) maps one to one, otherwise ``align_streams`` aligns them, so
    rewritten, dropped or inserted characters never make the lookup fail. A word that
    matches no character of *text* gets no span (it is left out).
    """
    fmap = fold_char_map(text)
    orig_pos = [i for i, c in enumerate(fmap) if c != _MARK and not c.isspace()]
    orig_stream = "".join(fmap[i] for i in orig_pos)

    word_chars = [_significant(fold(w)) for w in words]
    tok_stream = "".join("".join(chars) for chars in word_chars)

    # tok_to_orig[j]: index in orig_stream of the j-th character of tok_stream, or None.
    if tok_stream == orig_stream:
        tok_to_orig: list[int | None] = list(range(len(tok_stream)))
    else:
        tok_to_orig = align_streams(tok_stream, orig_stream)

    spans: list[Span] = []
    cursor = 0  # position in tok_stream
    prev_end = 0
    for chars in word_chars:
        mapped = [m for m in tok_to_orig[cursor : cursor + len(chars)] if m is not None]
        cursor += len(chars)
        if not mapped:
            spans.append((-1, -1))
            continue
        start = max(orig_pos[min(mapped)], prev_end)
        end = orig_pos[max(mapped)] + 1
        while end < len(text) and fmap[end] == _MARK:  # keep NFD marks with their letter
            end += 1
        if start >= end:
            spans.append((-1, -1))
            continue
        spans.append((start, end))
        prev_end = end
    return spans


def token_text(original: str) -> str:
    """Feature text of a token: NFC, underthesea tone placement, compounds joined by "_"."""
    return "_".join(normalize_tone_placement(original.translate(_ETH)).split())


def token_lemma(original: str) -> str:
    """Folded, abbreviation-expanded form: "tgpl" → "tro giup phap ly", "Đc" → "duoc".

    Chat abbreviations are only expanded for words typed without tone marks ("a" → "anh"
    but "à" stays "a"); "đ" alone still counts as plain, so "đc" → "duoc".
    """
    plain = " ".join(original.translate(_ETH).replace("_", " ").split())
    folded = fold(plain)
    if nfc(plain).lower().replace("đ", "d") == folded:
        return expand_abbreviations(folded)
    return " ".join(re.findall(r"\w+", folded))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class VietnameseTokenizer(Tokenizer):
    """Word segmentation with underthesea, offsets mapped onto the original message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Returns the component's default config."""
        return {
            # Flag to check whether to split intents
            "intent_tokenization_flag": False,
            # Symbol on which intent should be split
            "intent_split_symbol": "_",
            # Regular expression to detect tokens
            "token_pattern": None,
            # Symbol on which prefix should be split
            "prefix_separator_symbol": None,
            # Keep punctuation / emoji tokens (dropped by default, as WhitespaceTokenizer)
            "keep_punctuation": False,
        }

    @staticmethod
    def required_packages() -> list[str]:
        """Any extra python dependencies required for this component to run."""
        return ["underthesea"]

    @staticmethod
    def supported_languages() -> list[str] | None:
        """The languages that are supported."""
        return ["vi"]

    def __init__(self, config: dict[str, Any]) -> None:
        """Loads underthesea once, when the component is created or loaded."""
        super().__init__(config)
        self._keep_punctuation = bool(config.get("keep_punctuation", False))
        from underthesea import word_tokenize

        self._word_tokenize: Callable[[str], list[str]] = word_tokenize
        self._word_tokenize("xin chào")  # loads the CRF model now, not on a user's message

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VietnameseTokenizer:
        """Creates a new component (see parent class for full docstring)."""
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Tokenizes the text of the provided attribute of the incoming message."""
        text = message.get(attribute) or ""
        if not text.strip():
            return []

        words = _split_unreliable(self._word_tokenize(nfc(text)))
        tokens = []
        for start, end in align_words(text, words):
            if start < 0:
                continue
            original = text[start:end]
            tokens.append(
                Token(token_text(original), start, end, lemma=token_lemma(original))
            )

        if not self._keep_punctuation:
            wordlike = [t for t in tokens if _WORDLIKE.search(t.text)]
            # a message of only emoji / punctuation keeps them, so it is not featureless
            tokens = wordlike or tokens

        return self._apply_token_pattern(tokens)
