"""Encryption at rest of citizens' personal data in the case store, and the blind indexes.

* Columns typed `EncryptedText` / `EncryptedJSON` hold Fernet tokens (AES-128-CBC + HMAC-SHA256,
  `cryptography`): the ORM reads and writes plain values, the database never sees them.
* `CASE_ENCRYPTION_KEYS`: Fernet keys, comma-separated. The first encrypts, every one decrypts
  (MultiFernet), so a new key can be put in front, `python -m api cases rotate-keys` run, and the
  old key removed afterwards.
* `CASE_BLIND_INDEX_KEY`: the HMAC-SHA256 key of the blind indexes (the normalised phone, for
  exact matching; the duplicate key of phone + description). An HMAC cannot be re-keyed without the
  plain value: after changing it run `rotate-keys`, which decrypts each row and recomputes them.
* A value that does not decrypt with any key raises `DecryptionError` (never garbage, never the
  ciphertext); missing or development keys outside `ENVIRONMENT=development` raise `KeyConfigError`.

The process has one active keyring (`install_keyring`, done by `create_app` and the CLI from their
settings); without it the first use reads the settings from the environment.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text, TypeDecorator

from api.cases.normalize import PhoneError, normalize_description, normalize_phone
from api.core.config import Settings, get_settings

MIN_BLIND_INDEX_KEY_CHARS = 32
# The development defaults of scripts/common.sh: refused outside ENVIRONMENT=development.
DEV_ENCRYPTION_KEY = "ZGV2LW9ubHkta2V5LWNhc2UtZW5jcnlwdGlvbi0wMDE="
DEV_BLIND_INDEX_KEY = "dev-only-case-blind-index-key-do-not-use-in-production"
DEV_KEYS = frozenset({DEV_ENCRYPTION_KEY, DEV_BLIND_INDEX_KEY})


class KeyConfigError(RuntimeError):
    """CASE_ENCRYPTION_KEYS / CASE_BLIND_INDEX_KEY missing, malformed or not allowed here."""


class DecryptionError(RuntimeError):
    """A stored value does not decrypt with any configured key (wrong or missing old key)."""


@dataclass(frozen=True)
class Keyring:
    fernet: MultiFernet
    primary: Fernet  # the first key: the one that encrypts
    blind_key: bytes
    key_count: int

    def encrypt(self, value: str) -> str:
        return self.fernet.encrypt(value.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self.fernet.decrypt(token.encode("ascii")).decode()
        except (InvalidToken, UnicodeError) as error:
            raise DecryptionError(
                "Không giải mã được dữ liệu hồ sơ: không khóa nào trong CASE_ENCRYPTION_KEYS khớp "
                "(thiếu khóa cũ, hoặc dữ liệu chưa được mã hóa). / A stored value does not decrypt "
                "with any key in CASE_ENCRYPTION_KEYS."
            ) from error

    def rotate(self, token: str) -> str:
        """The same plain value encrypted with the first key."""
        try:
            return self.fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError) as error:
            raise DecryptionError("Không giải mã được dữ liệu hồ sơ bằng các khóa hiện có.") from error

    def uses_first_key(self, token: str) -> bool:
        """True when *token* decrypts with the first key alone (rotation finished for it)."""
        try:
            self.primary.decrypt(token.encode("ascii"))
        except (InvalidToken, UnicodeError):
            return False
        return True

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self.blind_key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()

    def phone_index(self, phone: str) -> str:
        """Blind index of a phone number: HMAC of its +84 form, so every spelling matches."""
        try:
            phone = normalize_phone(phone)
        except PhoneError:
            phone = phone.strip()
        return self._mac("phone", phone)

    def dedup_key(self, phone: str, description: str) -> str:
        """Duplicate key of a request: HMAC of the phone and the normalised description."""
        return self._mac("dedup", f"{self.phone_index(phone)}|{normalize_description(description)}")


def _fernet_key(raw: str, position: int) -> Fernet:
    try:
        key = base64.urlsafe_b64decode(raw.encode("ascii"))
        if len(key) != 32:
            raise ValueError
        return Fernet(raw.encode("ascii"))
    except (ValueError, binascii.Error, UnicodeError) as error:
        raise KeyConfigError(
            f"CASE_ENCRYPTION_KEYS: khóa thứ {position} không phải khóa Fernet (32 byte, base64 urlsafe). "
            'Tạo khóa mới: python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"'
        ) from error


def keyring_from_settings(settings: Settings) -> Keyring:
    """Validate the keys of *settings*; outside development, refuse missing or development keys."""
    raw_keys = settings.case_encryption_keys.get_secret_value() if settings.case_encryption_keys else ""
    keys = [k.strip() for k in raw_keys.split(",") if k.strip()]
    blind = settings.case_blind_index_key.get_secret_value().strip() if settings.case_blind_index_key else ""
    if not keys:
        raise KeyConfigError(
            "Thiếu CASE_ENCRYPTION_KEYS: không thể mã hóa dữ liệu cá nhân trong kho hồ sơ "
            "(xem .env.example, api/cases/README.md)."
        )
    if not blind:
        raise KeyConfigError("Thiếu CASE_BLIND_INDEX_KEY: cần để tìm theo số điện thoại và chống trùng.")
    if len(blind) < MIN_BLIND_INDEX_KEY_CHARS:
        raise KeyConfigError(f"CASE_BLIND_INDEX_KEY phải dài ít nhất {MIN_BLIND_INDEX_KEY_CHARS} ký tự.")
    fernets = [_fernet_key(key, i) for i, key in enumerate(keys, 1)]
    if settings.environment != "development":
        weak = [k for k in keys if k in DEV_KEYS or len(set(base64.urlsafe_b64decode(k))) <= 2]
        if weak or blind in DEV_KEYS or len(set(blind)) <= 2:
            raise KeyConfigError(
                "CASE_ENCRYPTION_KEYS / CASE_BLIND_INDEX_KEY đang là khóa mẫu dành cho môi trường phát "
                "triển (scripts/common.sh): môi trường production phải đặt khóa riêng, bí mật."
            )
    return Keyring(MultiFernet(fernets), fernets[0], blind.encode(), len(fernets))


_lock = threading.Lock()
_active: Keyring | None = None


def install_keyring(settings: Settings) -> Keyring:
    """Make the keys of *settings* the process's keys (raises KeyConfigError)."""
    global _active
    keyring = keyring_from_settings(settings)
    with _lock:
        _active = keyring
    return keyring


def active_keyring() -> Keyring:
    """The installed keyring, or the one of the environment's settings on first use."""
    global _active
    keyring = _active
    if keyring is None:
        with _lock:
            if _active is None:
                _active = keyring_from_settings(get_settings())
            keyring = _active
    return keyring


class EncryptedText(TypeDecorator[str]):
    """A str in Python, a Fernet token in the database (Text). Comparing it in SQL matches nothing:
    search goes through the blind indexes or after decryption."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else active_keyring().encrypt(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else active_keyring().decrypt(value)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value (dict, list, …) stored as the Fernet token of its JSON text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return active_keyring().encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else json.loads(active_keyring().decrypt(value))
