"""The whole system as separate processes that a test (or a benchmark) can kill and start again.

`LocalSystem` starts Rasa (one or more replicas), the action server and the api through the same
scripts `make run` uses (`scripts/start_*.sh`), each process on its own spare port with its own log
file. Unlike honcho, which stops everything when one process exits, a process here can be killed
(`kill("rasa1")`) and started again (`start("rasa1")`) while the others keep running.

Profiles:

* ``embedded``: in-memory tracker, one Rasa, a temporary SQLite case store (the `make run` setup).
* ``production``: `scripts/production_env.sh` is sourced first (as by `make run-prod`): Rasa's
  `SQLTrackerStore` on PostgreSQL and `RedisLockStore` on Redis, two Rasa replicas behind the api,
  the case store and the Zalo inbox/outbox on PostgreSQL, the Zalo worker in its own process.
  Each run gets databases of its own
  (`tgpl_<tag>_cases`, `tgpl_<tag>_tracker`), dropped by `stop()`.

Every system gets secrets of its own: the admin and action-server tokens, Rasa's token
(`RASA_AUTH_TOKEN`) and the action server's shared secret (`ACTION_WEBHOOK_SECRET`). The per-IP
rate limit stays at its default: the action server's calls to the api carry its service token and
are not counted, and simulated citizens talk over Zalo (counted per Zalo user) or the web chat.
`listening_sockets(pid)` reads the TCP sockets a process listens on from /proc (no connection).
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("FAULTS_PG_ADMIN_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
DERIVED = {  # computed by scripts/common.sh from the ports; never inherited from the caller
    "RASA_URLS", "ACTION_SERVER_URL", "API_URL", "ACTION_ENDPOINT_URL", "DATABASE_URL",
    "RASA_PORT", "RASA_REPLICA_PORT", "ACTIONS_PORT", "API_PORT", "TRACKER_DB_NAME", "RASA_ENDPOINTS",
    "ENVIRONMENT", "API_ADMIN_TOKEN", "ACTION_SERVER_TOKEN", "RASA_AUTH_TOKEN", "ACTION_WEBHOOK_SECRET",
    "CHAT_SESSION_SECRET", "RATE_LIMIT_PER_IP_PER_MINUTE",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _hex_address(field: str) -> tuple[str, int]:
    """`0100007F:1F90` (IPv4) or 32 hex digits + port (IPv6), as in /proc/net/tcp[6]."""
    host, port = field.split(":")
    raw = bytes.fromhex(host)
    words = [raw[i:i + 4][::-1] for i in range(0, len(raw), 4)]  # each 32-bit word little-endian
    family = socket.AF_INET if len(raw) == 4 else socket.AF_INET6
    return socket.inet_ntop(family, b"".join(words)), int(port, 16)


def _process_tree(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = set(), [pid]
    while todo:
        current = todo.pop()
        if current not in tree:
            tree.add(current)
            todo.extend(children.get(current, []))
    return tree


def listening_sockets(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket in LISTEN state owned by *pid* or its children."""
    inodes: set[str] = set()
    for member in _process_tree(pid):
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{member}/fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    if target.startswith("socket:["):
                        inodes.add(target[8:-1])
    found: set[tuple[str, int]] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                if parts[3] == "0A" and parts[9] in inodes:  # 0A = LISTEN
                    found.add(_hex_address(parts[1]))
    return found


def _pg_execute(statements: list[str]) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(sqlalchemy.text(statement))
    finally:
        engine.dispose()


def create_pg_database(name: str) -> None:
    _pg_execute([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'])


def drop_pg_database(name: str) -> None:
    _pg_execute([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])


@dataclass
class Service:
    """One process of the system: how to start it and where it listens."""

    name: str
    script: str
    port: int
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class LocalSystem:
    """Rasa replica(s), action server and api on spare ports; see the module docstring."""

    work: Path
    profile: str = "embedded"
    extra_env: dict[str, str] = field(default_factory=dict)
    tag: str = field(default_factory=lambda: secrets.token_hex(4))
    admin_token: str = field(default_factory=lambda: "adm-" + secrets.token_urlsafe(24))
    action_token: str = field(default_factory=lambda: "act-" + secrets.token_urlsafe(24))
    rasa_token: str = field(default_factory=lambda: "rasa-" + secrets.token_urlsafe(24))
    webhook_secret: str = field(default_factory=lambda: "hook-" + secrets.token_urlsafe(24))
    chat_secret: str = field(default_factory=lambda: "chat-" + secrets.token_urlsafe(32))
    # The case store's encryption keys (a Fernet key, an HMAC key): fresh for each system's database
    case_keys: str = field(default_factory=lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    blind_key: str = field(default_factory=lambda: "blind-" + secrets.token_urlsafe(32))
    services: dict[str, Service] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.profile not in ("embedded", "production"):
            raise ValueError(f"unknown profile {self.profile!r}")
        self.work.mkdir(parents=True, exist_ok=True)
        replicas = 2 if self.profile == "production" else 1
        rasa_ports = [free_port() for _ in range(replicas)]
        self.actions_port, self.api_port = free_port(), free_port()
        for number, port in enumerate(rasa_ports, start=1):
            self.services[f"rasa{number}"] = Service(f"rasa{number}", "scripts/start_rasa.sh", port,
                                                     {"RASA_PORT": str(port)})
        self.services["actions"] = Service("actions", "scripts/start_actions.sh", self.actions_port)
        self.services["api"] = Service("api", "scripts/start_api.sh", self.api_port)
        if self.profile == "production":  # ZALO_WORKER_MODE=external (scripts/production_env.sh)
            self.services["zalo"] = Service("zalo", "scripts/start_zalo_worker.sh", 0)
        self.rasa_urls = [f"http://127.0.0.1:{port}" for port in rasa_ports]
        self.cases_db = f"tgpl_{self.tag}_cases"
        self.tracker_db = f"tgpl_{self.tag}_tracker"

    # --- addresses ------------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def database_url(self) -> str:
        if self.profile == "production":
            return f"postgresql+psycopg2://postgres@127.0.0.1:5432/{self.cases_db}"
        return f"sqlite:///{self.work / 'cases.db'}"

    def base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in DERIVED}
        env |= {
            "API_HOST": "127.0.0.1",
            "ACTIONS_PORT": str(self.actions_port),
            "API_PORT": str(self.api_port),
            "RASA_PORT": str(self.services["rasa1"].port),
            "RASA_URLS": ",".join(self.rasa_urls),
            "DATABASE_URL": self.database_url,
            "API_ADMIN_TOKEN": self.admin_token,
            "ACTION_SERVER_TOKEN": self.action_token,
            "RASA_AUTH_TOKEN": self.rasa_token,
            "ACTION_WEBHOOK_SECRET": self.webhook_secret,
            "CHAT_SESSION_SECRET": self.chat_secret,
            "CASE_ENCRYPTION_KEYS": self.case_keys,
            "CASE_BLIND_INDEX_KEY": self.blind_key,
        }
        if self.profile == "production":
            env |= {"TRACKER_DB_NAME": self.tracker_db}
        else:
            env |= {"ENVIRONMENT": "development"}
        return env | self.extra_env

    # --- life cycle -----------------------------------------------------------------------------

    def start_all(self, timeout: float = 420.0) -> float:
        """Start every process and wait for `/healthz` = ok; returns the seconds it took."""
        started = time.monotonic()
        if self.profile == "production":
            subprocess.run(["bash", str(ROOT / "scripts/ensure_services.sh")], check=False,
                           stdout=subprocess.DEVNULL)
            create_pg_database(self.cases_db)
            drop_pg_database(self.tracker_db)  # Rasa creates it on first start
        # the api first: it runs the migrations before Rasa and the actions need it
        for name in ["api", "actions", *[n for n in self.services if n not in ("api", "actions")]]:
            self.start(name)
        self.wait_healthy(timeout)
        return time.monotonic() - started

    def start(self, name: str) -> None:
        service = self.services[name]
        if service.running:
            return
        source = "source scripts/common.sh"
        if self.profile == "production":
            source += " && source scripts/production_env.sh"
        log = (self.work / f"{name}.log").open("ab")
        service.process = subprocess.Popen(
            ["bash", "-c", f"{source} && exec {service.script}"],
            cwd=ROOT, env=self.base_env() | service.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill one process (SIGKILL by default: a crash, nothing cleaned up)."""
        service = self.services[name]
        if service.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(service.process.pid, sig)
        try:
            service.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(service.process.pid, signal.SIGKILL)
            service.process.wait(timeout=10)
        service.process = None

    def stop(self) -> None:
        for name in reversed(list(self.services)):
            self.kill(name, signal.SIGTERM)
        if self.profile == "production":
            for database in (self.cases_db, self.tracker_db):
                with contextlib.suppress(Exception):  # PostgreSQL may be what a test broke
                    drop_pg_database(database)

    def __enter__(self) -> LocalSystem:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- waiting --------------------------------------------------------------------------------

    def health(self) -> dict:
        try:
            return httpx.get(f"{self.api_url}/healthz", timeout=5).json()
        except (httpx.HTTPError, ValueError):
            return {}

    def wait_healthy(self, timeout: float = 420.0) -> None:
        deadline = time.monotonic() + timeout
        status: dict = {}
        while time.monotonic() < deadline:
            dead = [s.name for s in self.services.values() if s.process is not None and not s.running]
            if dead:
                raise RuntimeError(f"{dead} exited during start-up\n{self.log_tail(*dead)}")
            status = self.health()
            if status.get("status") == "ok" and all(self.rasa_ready(n) for n in self.rasa_names()):
                return
            time.sleep(2)
        raise RuntimeError(f"system not healthy after {timeout:.0f}s: {status}\n{self.log_tail()}")

    def rasa_names(self) -> list[str]:
        return [name for name in self.services if name.startswith("rasa")]

    def rasa_ready(self, name: str) -> bool:
        """The replica answers and has its model loaded."""
        try:
            response = httpx.get(f"http://127.0.0.1:{self.services[name].port}/status",
                                 params={"token": self.rasa_token}, timeout=3)
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False

    def wait_until(self, check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not within {timeout:.0f}s\n{self.log_tail()}")
            time.sleep(0.5)

    def wait_port(self, name: str, timeout: float = 240.0) -> None:
        port = self.services[name].port
        self.wait_until(lambda: port_open(port), timeout, f"{name} listening on {port}")

    def log_tail(self, *names: str, chars: int = 3000) -> str:
        parts = []
        for name in names or tuple(self.services):
            path = self.work / f"{name}.log"
            if path.exists():
                parts.append(f"--- {name} ---\n{path.read_text(errors='replace')[-chars:]}")
        return "\n".join(parts)

    def pids(self) -> dict[str, int]:
        return {name: s.process.pid for name, s in self.services.items() if s.running and s.process}
