"""Latency of `POST /api/v1/assist` with the real knowledge index in memory.

    .venv/bin/python bench/assist_latency.py [--requests 390] [--rasa-ms 30] [--cores 2] [--concurrency 1]

Builds the real app (temporary SQLite case store, an admin token from the environment), loads
`data/knowledge/index` (build it first: `python -m knowledge build`), answers Rasa `/model/parse`
with a fake replica that waits `--rasa-ms` (a real DIET parse of a short text takes tens of ms;
the call runs while the index searches), pins the process to `--cores` CPUs, and times every
request end to end through the ASGI stack. Prints p50 / p95 / p99 / max in milliseconds.
Nothing here is asserted: the target is p95 ≤ 300 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STORIES = [
    "ba ay 70 tuoi, ho can ngheo, bi hang xom lan dat",
    "Mẹ tôi 72 tuổi, nhà thuộc hộ cận nghèo ở xã Tân Lập, tỉnh Lào Cai. Hàng xóm lấn chiếm đất "
    "nhà tôi, xin hỏi mẹ tôi có được trợ giúp pháp lý miễn phí không?",
    "nha 4 nguoi o nong thon thu nhap 5 trieu thi co phai ho ngheo ko",
    "Tôi là Nguyễn Văn An, số điện thoại 0912 345 678, tôi bị chồng đánh nhiều lần, muốn ly hôn "
    "và giành quyền nuôi con, tôi ở phường Bến Thành, TP HCM.",
    "con toi 15 tuoi bi cong an bat tam giu, gia dinh toi la ho ngheo, can luat su",
    "Công ty nợ lương tôi 3 tháng, tôi là người khuyết tật, đang hưởng trợ cấp xã hội hằng tháng.",
    "Hòa giải ở cơ sở là gì, tổ hòa giải có giúp hai nhà tranh chấp lối đi không?",
    "Tôi muốn hỏi thủ tục yêu cầu trợ giúp pháp lý cần giấy tờ gì",
    "toi la nguoi dan toc thai o xa dac biet kho khan, bi lua mat tien",
    "Cho hỏi chuẩn nghèo năm 2027 ở thành thị là bao nhiêu?",
    "Bố tôi là thương binh, bị kiện đòi nợ 200 triệu, tòa án đã gửi giấy triệu tập.",
    # a long call: ~1.6k characters of story, the question at the end
    "Chị ấy kể là " + "năm ngoái chồng chị đi làm xa, ở nhà chị nuôi hai con nhỏ và mẹ chồng già yếu, "
    * 18 + "bây giờ chồng đòi ly hôn và không chịu cấp dưỡng nuôi con, chị có được trợ giúp pháp lý không?",
    "Gia đình 3 người ở thị trấn, thu nhập 6 triệu một tháng, có được xét hộ cận nghèo không",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=390)
    parser.add_argument("--rasa-ms", type=float, default=30.0, help="simulated Rasa parse time")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=1, help="operators analysing at the same time")
    parser.add_argument("--data", type=Path, default=None, help="knowledge data dir (default data/knowledge)")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        available = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, set(available[: args.cores]))
    from fastapi.testclient import TestClient

    from api.core.config import Settings
    from api.main import create_app

    async def fake_rasa(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(args.rasa_ms / 1000)
        return httpx.Response(200, json={
            "text": "", "intent": {"name": "ask_legal_aid_eligibility", "confidence": 0.91},
            "intent_ranking": [], "entities": [],
        })

    token = "bench_" + secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory() as work:
        settings = Settings(
            _env_file=None,
            environment="development",
            rasa_urls="http://rasa-bench:5005",
            database_url=f"sqlite:///{work}/cases.db",
            api_admin_token=token,
            knowledge_data_dir=args.data,
        )
        http = httpx.AsyncClient(transport=httpx.MockTransport(fake_rasa))
        with TestClient(create_app(settings, http=http)) as client:
            holder = client.app.state.app_state.knowledge
            started = time.monotonic()
            while holder.state == "starting" and time.monotonic() - started < 300:
                time.sleep(0.2)
            if holder.index is None:
                print(f"Knowledge index not loaded ({holder.error}). Run: python -m knowledge build")
                return 1
            cores = sorted(os.sched_getaffinity(0))
            print(f"index loaded in {time.monotonic() - started:.1f} s; cores: {cores}")
            headers = {"Authorization": f"Bearer {token}"}
            for story in STORIES:  # warm-up: first calls build caches
                assert client.post("/api/v1/assist", json={"text": story}, headers=headers).status_code == 200
            def one(i: int) -> float:
                story = STORIES[i % len(STORIES)]
                t0 = time.perf_counter()
                response = client.post("/api/v1/assist", json={"text": story}, headers=headers)
                assert response.status_code == 200, response.text
                return (time.perf_counter() - t0) * 1000

            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                times = list(pool.map(one, range(args.requests)))
    print(
        f"POST /api/v1/assist, {len(times)} requests ({args.concurrency} at a time), "
        f"{len(STORIES)} caller stories, Rasa {args.rasa_ms:.0f} ms: "
        f"p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
        f"p99 {percentile(times, 0.99):.1f} ms, max {max(times):.1f} ms, mean {statistics.mean(times):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
