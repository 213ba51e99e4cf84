"""The intake conversation a citizen holds over Zalo, as (what they type, what the reply must say)."""

from __future__ import annotations

from dataclasses import dataclass

from tests.harness.zalo import Citizen


@dataclass(frozen=True)
class Step:
    says: str
    expect: str  # a piece of the bot's answer to this turn


def intake_steps(phone: str, description: str) -> list[Step]:
    """From the request to the confirmation question (the last step before 'gui')."""
    return [
        Step("toi muon gui yeu cau tro giup phap ly", "họ và tên"),
        Step("nguyen van binh", "Số điện thoại"),
        Step(phone, "tỉnh"),
        Step("lao cai", "xã"),
        Step("xa tan lap", "Hộ nghèo"),
        Step("ho ngheo", "Đất đai"),
        Step("dat dai", "kể"),
        Step(description, "13/2023/NĐ-CP"),
        Step("dong y", "Lào Cai"),
    ]


def follow(citizen: Citizen, steps: list[Step], timeout: float = 120.0) -> None:
    for step in steps:
        reply = citizen.ask(step.says, timeout=timeout)
        assert step.expect in reply, (step, reply)
