"""VietnameseTokenizer through its Rasa interface: create(), process(), token offsets."""

from __future__ import annotations

import re
import time
import unicodedata
import warnings
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.vietnamese_tokenizer import VietnameseTokenizer
from knowledge.text import fold

NLU_DATA = Path(__file__).resolve().parents[2] / "bot" / "data" / "nlu.yml"


@pytest.fixture(scope="module")
def model_storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("model_storage"))


@pytest.fixture(scope="module")
def execution_context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test_model_id")


@pytest.fixture(scope="module")
def tokenizer(model_storage: LocalModelStorage, execution_context: ExecutionContext) -> VietnameseTokenizer:
    return VietnameseTokenizer.create(
        VietnameseTokenizer.get_default_config(),
        model_storage,
        Resource("tokenizer"),
        execution_context,
    )


def tokens_of(tokenizer: VietnameseTokenizer, text: str) -> list:
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    return message.get(TOKENS_NAMES[TEXT])


def fold_eth(text: str) -> str:
    """fold(), also for the "Ð" look-alike of "Đ" that the tokenizer corrects."""
    return fold(text.replace("ð", "đ").replace("Ð", "Đ"))


def assert_offsets_exact(text: str, tokens: list) -> None:
    """Every token slices the original text to a string with the token's fold."""
    previous_end = 0
    for token in tokens:
        assert previous_end <= token.start < token.end <= len(text), token
        piece = text[token.start : token.end]
        assert piece == piece.strip(), f"{piece!r} starts or ends with a space"
        assert "_".join(fold_eth(piece).split()) == fold(token.text), (piece, token.text)
        previous_end = token.end


NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hòa giải ở cơ sở là gì?", ["Hòa", "giải", "ở", "cơ_sở", "là", "gì"]),
        # "Hoà" (old tone placement) gives the same token text as "Hòa"
        ("Hoà giải ở cơ sở là gì?", ["Hòa", "giải", "ở", "cơ_sở", "là", "gì"]),
        # NFD input (some phone keyboards) gives NFC token texts
        (NFD("Tôi được trợ giúp pháp lý không"), ["Tôi", "được", "trợ_giúp", "pháp_lý", "không"]),
        # double spaces, tabs and a newline inside a compound
        ("trợ  giúp\tpháp \n lý", ["trợ_giúp", "pháp_lý"]),
        ("  xin chào  ", ["xin", "chào"]),
        # emoji and punctuation are not tokens
        ("xin chào 😀😀 ad ơi!!!", ["xin", "chào", "ad", "ơi"]),
        ("chuẩn nghèo 2025 là bao nhiêu???", ["chuẩn", "nghèo", "2025", "là", "bao_nhiêu"]),
        ("tgpl.", ["tgpl"]),
        # no diacritics, chat abbreviations
        # plain syllables are not glued into compounds ("toi ho", "ngheo co")
        ("nha toi ho ngheo co dc tgpl ko", ["nha", "toi", "ho", "ngheo", "co", "dc", "tgpl", "ko"]),
        ("e muon hoi ve hgcs a", None),
        # characters underthesea rewrites ("nghành"→"ngành", "Ð"→"Đ", "qui"→"quy")
        ("nghành tư pháp", ["nghành", "tư_pháp"]),
        ("Ðiều 7 Luật trợ giúp pháp lý", None),
        ("qui định về hộ nghèo", None),
        ("thi hành án dân sự", ["thi_hành", "án", "dân_sự"]),
        ("Ủy ban nhân dân xã", None),
    ],
)
def test_tokens_and_offsets(tokenizer: VietnameseTokenizer, text: str, expected: list[str] | None) -> None:
    tokens = tokens_of(tokenizer, text)
    assert tokens
    assert_offsets_exact(text, tokens)
    if expected is not None:
        assert [t.text for t in tokens] == expected


def test_nfd_and_nfc_give_same_features(tokenizer: VietnameseTokenizer) -> None:
    text = "Người dân tộc thiểu số được trợ giúp pháp lý miễn phí"
    nfc_tokens = tokens_of(tokenizer, text)
    nfd_text = NFD(text)
    nfd_tokens = tokens_of(tokenizer, nfd_text)
    assert [(t.text, t.lemma) for t in nfd_tokens] == [(t.text, t.lemma) for t in nfc_tokens]
    # offsets point into the NFD string and keep the combining marks with their letter
    pieces = [nfd_text[t.start : t.end] for t in nfd_tokens]
    assert pieces == [NFD(t.text.replace("_", " ")) for t in nfc_tokens]


def test_old_tone_placement_offsets(tokenizer: VietnameseTokenizer) -> None:
    text = "Hoà giải viên"
    tokens = tokens_of(tokenizer, text)
    assert tokens[0].text == "Hòa"
    assert text[tokens[0].start : tokens[0].end] == "Hoà"


def test_double_space_inside_compound_keeps_original_offsets(tokenizer: VietnameseTokenizer) -> None:
    text = "hòa giải ở cơ  sở"
    tokens = tokens_of(tokenizer, text)
    assert (tokens[-1].text, tokens[-1].start, tokens[-1].end) == ("cơ_sở", 11, 17)
    assert text[11:17] == "cơ  sở"


@pytest.mark.parametrize(
    ("text", "lemmas"),
    [
        ("nha toi ho ngheo co dc tgpl ko", "nha toi ho ngheo co duoc tro giup phap ly khong"),
        ("Được trợ giúp pháp lý không", "duoc tro giup phap ly khong"),
        ("Đc ko ạ", "duoc khong a"),
        # "à" has a tone mark, so it is not the chat abbreviation "a" (anh)
        ("vậy à a", "vay a anh"),
        ("thads o dau", "thi hanh an dan su o dau"),
    ],
)
def test_lemmas_are_folded_and_expanded(tokenizer: VietnameseTokenizer, text: str, lemmas: str) -> None:
    tokens = tokens_of(tokenizer, text)
    assert " ".join(t.lemma for t in tokens) == lemmas


def test_lemma_of_compound_uses_spaces(tokenizer: VietnameseTokenizer) -> None:
    tokens = tokens_of(tokenizer, "hòa giải ở cơ sở")
    assert [(t.text, t.lemma) for t in tokens][-1] == ("cơ_sở", "co so")


@pytest.mark.parametrize("text", ["", " ", "  \n\t "])
def test_empty_text_has_no_tokens(tokenizer: VietnameseTokenizer, text: str) -> None:
    assert tokens_of(tokenizer, text) == []


@pytest.mark.parametrize("text", ["😀", "👍👍", "???", ":)"])
def test_only_emoji_or_punctuation_is_not_featureless(tokenizer: VietnameseTokenizer, text: str) -> None:
    tokens = tokens_of(tokenizer, text)
    assert tokens
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_intent_is_one_token(tokenizer: VietnameseTokenizer) -> None:
    message = Message(data={TEXT: "xin chào", INTENT: "ask_legal_aid_eligibility"})
    tokenizer.process_training_data(TrainingData([message]))
    assert [t.text for t in message.get(TOKENS_NAMES[INTENT])] == ["ask_legal_aid_eligibility"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("tôi ở tỉnh Hà  Giang", "Hà  Giang"),
        (NFD("tôi ở tỉnh Điện Biên"), NFD("Điện Biên")),
        ("toi o tinh ha giang nha", "ha giang"),
        ("Hoà Bình có trung tâm không", "Hoà Bình"),
    ],
)
def test_entity_annotations_align_with_tokens(tokenizer: VietnameseTokenizer, text: str, value: str) -> None:
    start = text.index(value)
    entity = {"start": start, "end": start + len(value), "value": value, "entity": "province"}
    message = Message(data={TEXT: text, INTENT: "ask_contact", ENTITIES: [entity]})
    training_data = TrainingData([message])
    tokenizer.process_training_data(training_data)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        EntityExtractorMixin.check_correct_entity_annotations(training_data)
    assert not [w for w in caught if "Misaligned" in str(w.message)]


def test_count_vectors_featurizer_sees_compounds_and_lemmas(
    tokenizer: VietnameseTokenizer, model_storage: LocalModelStorage, execution_context: ExecutionContext
) -> None:
    messages = [
        Message(data={TEXT: "hòa giải ở cơ sở", INTENT: "ask_mediation"}),
        Message(data={TEXT: "nha toi co dc tgpl ko", INTENT: "ask_legal_aid_eligibility"}),
    ]
    training_data = tokenizer.process_training_data(TrainingData(messages))
    vocabularies = {}
    for use_lemma in (False, True):
        featurizer = CountVectorsFeaturizer.create(
            {**CountVectorsFeaturizer.get_default_config(), "use_lemma": use_lemma},
            model_storage,
            Resource(f"cvf_{use_lemma}"),
            execution_context,
        )
        featurizer.train(training_data)
        vocabularies[use_lemma] = set(featurizer.vectorizers[TEXT].vocabulary_)
    assert {"cơ_sở", "hòa", "tgpl", "dc"} <= vocabularies[False]
    assert {"co", "so", "hoa", "tro", "giup", "phap", "ly", "duoc", "khong"} <= vocabularies[True]
    assert "cơ_sở" not in vocabularies[True]


@pytest.mark.skipif(not NLU_DATA.exists(), reason="no NLU data yet")
def test_offsets_exact_on_every_training_example(tokenizer: VietnameseTokenizer) -> None:
    examples = [m.get(TEXT) for m in load_data(str(NLU_DATA)).training_examples]
    assert len(examples) > 100
    for text in examples:
        for variant in (text, NFD(text), re.sub(" ", "  ", text)):
            assert_offsets_exact(variant, tokens_of(tokenizer, variant))


def test_long_message_with_rewrites_stays_fast(tokenizer: VietnameseTokenizer) -> None:
    """Regression: aligning with difflib took ~400 s on this 19,000-character message."""
    text = "Ðiều nghành qui định về hộ nghèo ở xã. " * 500
    started = time.perf_counter()
    tokens = tokens_of(tokenizer, text)
    assert time.perf_counter() - started < 10
    assert len(tokens) == 4000
    assert_offsets_exact(text, tokens)
