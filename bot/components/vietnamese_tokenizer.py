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

import difflib
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


def align_words(text: str, words: list[str]) -> list[Span]:
    """Character spans of *words* (as rewritten by underthesea) in the original *text*.

    Both sides are folded and stripped of whitespace and combining marks; the common case
    (identical streams) maps one to one, otherwise difflib aligns them, so rewritten,
    dropped or inserted characters never make the lookup fail. A word that matches no
    character of *text* gets no span (it is left out).
    """
    fmap = fold_char_map(text)
    orig_pos = [i for i, c in enumerate(fmap) if c != _MARK and not c.isspace()]
    orig_stream = "".join(fmap[i] for i in orig_pos)

    word_chars = [_significant(fold(w)) for w in words]
    tok_stream = "".join("".join(chars) for chars in word_chars)

    # tok_to_orig[j]: index in orig_stream of the j-th character of tok_stream, or None.
    tok_to_orig: list[int | None] = [None] * len(tok_stream)
    if tok_stream == orig_stream:
        tok_to_orig = list(range(len(tok_stream)))
    else:
        matcher = difflib.SequenceMatcher(None, tok_stream, orig_stream, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    tok_to_orig[i1 + k] = j1 + k
            elif tag == "replace":
                # spread the rewritten characters over the original ones
                for k in range(i2 - i1):
                    tok_to_orig[i1 + k] = j1 + min(k * (j2 - j1) // (i2 - i1), j2 - j1 - 1)

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
