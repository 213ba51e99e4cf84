"""Command line of the case store (`python -m api ...`): tokens, retention purge, key rotation,
migrations."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.orm import Session

from api.cases.crud import purge_cases
from api.cases.crypto import DecryptionError, KeyConfigError, active_keyring, install_keyring
from api.cases.rekey import check_keys, rotate_keys
from api.cases.security import Role, create_token, list_tokens, revoke_token
from api.core.config import Settings, get_settings
from api.core.db import Database, safe_url


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m api", description="Quản trị kho hồ sơ trợ giúp pháp lý.")
    parser.add_argument("--database-url", help="default: DATABASE_URL from the environment / settings")
    groups = parser.add_subparsers(dest="group", required=True)

    tokens = groups.add_parser("tokens", help="staff bearer tokens")
    tokens = tokens.add_subparsers(dest="command", required=True)
    create = tokens.add_parser("create", help="create a token and print it once")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--name", required=True, help='who uses it, e.g. "Nguyễn Thị Hoa - TT TGPL Lào Cai"')
    tokens.add_parser("list", help="list tokens (never their secret)")
    revoke = tokens.add_parser("revoke", help="revoke a token by id")
    revoke.add_argument("token_id", type=int)

    cases = groups.add_parser("cases", help="legal-aid cases").add_subparsers(dest="command", required=True)
    purge = cases.add_parser("purge", help="delete finished cases (closed/rejected/referred) with history")
    purge.add_argument("--older-than", type=int, required=True, metavar="DAYS", help="not updated for DAYS")
    rotate = cases.add_parser(
        "rotate-keys",
        help="re-encrypt every row with the first CASE_ENCRYPTION_KEYS key, recompute the blind indexes",
    )
    rotate.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")
    cases.add_parser(
        "check-keys", help="values on the first key, an older key, none (exit 1 unless all on the first)"
    )

    db = groups.add_parser("db", help="database").add_subparsers(dest="command", required=True)
    db.add_parser("upgrade", help="alembic upgrade head")
    return parser


def main(argv: list[str] | None = None, *, settings: Settings | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = settings or get_settings()
    try:
        install_keyring(settings)
    except KeyConfigError as error:
        print(str(error), file=sys.stderr)
        return 2
    url = args.database_url or settings.database_url
    database = Database(url)
    try:
        if not database.ensure_ready():
            print(f"Không mở được cơ sở dữ liệu {safe_url(url)}: {database.error}", file=sys.stderr)
            return 2
        return _run(args, database)
    finally:
        database.dispose()


def _run(args: argparse.Namespace, database: Database) -> int:
    with database.session() as session:
        if (args.group, args.command) == ("tokens", "create"):
            name = " ".join(args.name.split())
            if not name:
                print("Tên token không được để trống.", file=sys.stderr)
                return 2
            token, secret = create_token(session, name=name, role=Role(args.role))
            print(f"Token #{token.id} ({token.role}) cho {token.name}:")
            print(secret)
            print("Hãy lưu lại ngay: mã này chỉ hiện MỘT lần và không thể xem lại.", file=sys.stderr)
        elif (args.group, args.command) == ("tokens", "list"):
            for token in list_tokens(session):
                state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
                print(f"{token.id}\t{token.role}\t{state}\t{token.created_at:%Y-%m-%d %H:%M}\t{token.name}")
        elif (args.group, args.command) == ("tokens", "revoke"):
            token = revoke_token(session, token_id=args.token_id)
            if token is None:
                print(f"Không có token #{args.token_id}.", file=sys.stderr)
                return 1
            print(f"Đã thu hồi token #{token.id} ({token.name}).")
        elif (args.group, args.command) == ("cases", "purge"):
            if args.older_than < 0:
                print("--older-than phải là số ngày không âm.", file=sys.stderr)
                return 2
            count = purge_cases(session, older_than_days=args.older_than)
            print(f"Đã xoá {count} hồ sơ đã kết thúc (cùng lịch sử) cũ hơn {args.older_than} ngày.")
        elif (args.group, args.command) == ("cases", "rotate-keys"):
            return _rotate(session, batch_size=args.batch_size)
        elif (args.group, args.command) == ("cases", "check-keys"):
            return _check(session)
        elif (args.group, args.command) == ("db", "upgrade"):
            print(f"Cơ sở dữ liệu đã ở phiên bản mới nhất: {safe_url(database.url)}")
    return 0


def _rotate(session: Session, *, batch_size: int) -> int:
    if batch_size < 1:
        print("--batch-size phải là số dương.", file=sys.stderr)
        return 2

    def progress(name: str, count: int, total: int) -> None:
        print(f"\r{name}: {count}/{total}", end="" if count < total else "\n", file=sys.stderr, flush=True)

    try:
        done = rotate_keys(session, active_keyring(), batch_size=batch_size, progress=progress)
    except DecryptionError as error:
        print(f"\n{error}", file=sys.stderr)
        print("Dừng lại: các lô trước đã xong; thêm lại khóa cũ vào CASE_ENCRYPTION_KEYS rồi chạy lại.",
              file=sys.stderr)
        return 1
    summary = ", ".join(f"{name} {count}" for name, count in done.items())
    print(f"Đã mã hóa lại bằng khóa đầu tiên và tính lại chỉ mục mù: {summary} dòng.")
    return 0


def _check(session: Session) -> int:
    report = check_keys(session, active_keyring())
    for name, check in report.items():
        print(f"{name}: khóa đầu tiên {check.first_key}, khóa cũ {check.older_key}, "
              f"không giải mã được {check.unreadable}, chỉ mục mù cũ {check.stale_index}")
    pending = sum(c.older_key + c.unreadable + c.stale_index for c in report.values())
    if pending:
        print("Chưa được bỏ khóa cũ: hãy chạy `python -m api cases rotate-keys` "
              "(và giữ mọi khóa cần để đọc).", file=sys.stderr)
        return 1
    print("Mọi dữ liệu đã dùng khóa đầu tiên: có thể bỏ các khóa cũ khỏi CASE_ENCRYPTION_KEYS.")
    return 0
