"""Login and roles: the users file (bcrypt hashes), API tokens, and the limit on failed logins.

Roles, each with the rights of the one before it:
  raadslid    chat and search (also over the REST and OpenAI-compatible APIs)
  medewerker  + the staff tables (motions, measures), CSV exports, the REST staff endpoints,
              adding documents (the "Documenten toevoegen" tab, POST /api/documents)
  beheerder   + user management and re-indexing

Users file (`[ui] auth_file`), one user a line: `naam:rol:$2b$12$…` (bcrypt hash), written by
`assistant users add NAAM --role …`. The old `naam:wachtwoord` lines are still read, with a warning
in the log, as role `medewerker` (what every logged-in user could do before roles existed), so an
existing installation keeps working until its users are re-added with a hash.
Tokens file (`[ui] api_tokens`): `naam:rol:sha256:<hex>` lines written by `assistant users token`;
a plain `naam:rol:<token>` line (at least 20 characters) is accepted too. Only digests are compared.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

ROLES = ("raadslid", "medewerker", "beheerder")
# The lowest role that has each right.
RIGHTS = {
    "chat": "raadslid",
    "search": "raadslid",
    "documents": "raadslid",
    "records": "medewerker",
    "export": "medewerker",
    "upload": "medewerker",
    "admin": "beheerder",
}
LEGACY_ROLE = "medewerker"
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72  # bcrypt looks at no more than 72 bytes (bcrypt 5 refuses longer ones)
MIN_TOKEN = 20
NAME = re.compile(r"^[^\s:#][^\s:]{0,63}$")


def allows(role: str | None, right: str) -> bool:
    """Does `role` have `right` (a key of RIGHTS)?"""
    return role in ROLES and ROLES.index(role) >= ROLES.index(RIGHTS[right])


# ---- users -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    name: str
    role: str
    hash: str = ""  # bcrypt hash; empty for a legacy plain-text line
    plain: str = field(default="", repr=False)  # legacy plain-text password


def _bcrypt():
    import bcrypt  # imported when needed: the CLI's other commands do not pay for it

    return bcrypt


def hash_password(password: str) -> str:
    """A bcrypt hash of `password`, or ValueError with a Dutch message when it is unusable."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"Het wachtwoord is te kort: minstens {MIN_PASSWORD} tekens (password too short).")
    raw = password.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_PASSWORD_BYTES:
        raise ValueError(f"Het wachtwoord is te lang: hoogstens {MAX_PASSWORD_BYTES} bytes (password too long).")
    return _bcrypt().hashpw(raw, _bcrypt().gensalt()).decode("ascii")


_DUMMY: list[str] = []


def verify_password(user: User | None, password: str) -> bool:
    """Check a password; an unknown user costs a bcrypt check too, so timing does not reveal names."""
    raw = str(password or "").encode("utf-8", "surrogatepass")
    if user is not None and not user.hash:
        return hmac.compare_digest(user.plain.encode("utf-8", "surrogatepass"), raw)
    if not _DUMMY:
        _DUMMY.append(_bcrypt().hashpw(b"dummy-password", _bcrypt().gensalt()).decode())
    stored = user.hash if user is not None else _DUMMY[0]
    try:
        ok = _bcrypt().checkpw(raw, stored.encode("ascii"))
    except ValueError:  # longer than 72 bytes, or a damaged hash
        ok = False
    return ok and user is not None


def _parse_user(line: str) -> User | None:
    name, sep, rest = line.partition(":")
    role, sep2, secret = rest.partition(":")
    if sep and sep2 and role in ROLES and secret.startswith("$2"):
        return User(name.strip(), role, hash=secret.strip())
    if sep and name.strip() and rest:
        return User(name.strip(), LEGACY_ROLE, plain=rest.strip())
    return None


def read_users(path) -> dict[str, User]:
    """The users of a users file (see the module docstring); ValueError names a bad line."""
    users: dict[str, User] = {}
    legacy = []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        user = _parse_user(line)
        if user is None:
            raise ValueError(f"{path}, regel {number}: verwacht 'naam:rol:hash' (expected 'name:role:hash')")
        if not user.hash:
            legacy.append(user.name)
        users[user.name] = user
    if not users:
        raise ValueError(f"{path}: geen gebruikers gevonden (no users found)")
    if legacy:
        log.warning(
            "%s: %d gebruiker(s) met een onversleuteld wachtwoord (%s), gelezen als rol %s. "
            "Voeg ze opnieuw toe met 'assistant users add NAAM' om een hash op te slaan.",
            path,
            len(legacy),
            ", ".join(legacy[:5]),
            LEGACY_ROLE,
        )
    return users


def _rewrite(path: Path, name: str, new_line: str | None) -> bool:
    """Replace (or drop, when `new_line` is None) the line of `name`, or append it; atomic, mode 600."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    found = False
    out = []
    for line in lines:
        if not line.strip().startswith("#") and line.partition(":")[0].strip() == name:
            found = True
            if new_line is not None:
                out.append(new_line)
        else:
            out.append(line)
    if not found and new_line is not None:
        out.append(new_line)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")
    os.replace(tmp, path)
    return found


def check_name_role(name: str, role: str) -> None:
    if not NAME.match(name or ""):
        raise ValueError("Ongeldige gebruikersnaam: geen spaties of dubbelepunten, hoogstens 64 tekens.")
    if role not in ROLES:
        raise ValueError(f"Onbekende rol {role!r}: kies uit {', '.join(ROLES)}.")


def add_user(path, name: str, password: str, role: str = "raadslid") -> bool:
    """Add `name` (or replace its line) with a bcrypt hash of `password`; True when it replaced one."""
    check_name_role(name, role)
    return _rewrite(Path(path), name, f"{name}:{role}:{hash_password(password)}")


def remove_user(path, name: str) -> bool:
    """Drop the line of `name`; False when there was none."""
    return Path(path).exists() and _rewrite(Path(path), name, None)


# ---- API tokens --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    name: str
    role: str
    digest: str = field(repr=False)  # sha256 hex of the token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def read_tokens(path) -> list[Token]:
    """The tokens of a tokens file (see the module docstring); ValueError names a bad line."""
    tokens = []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, _, rest = line.partition(":")
        role, _, secret = rest.partition(":")
        if secret.startswith("sha256:") and len(secret) == 7 + 64:
            digest = secret[7:].lower()
        elif len(secret) >= MIN_TOKEN:
            digest = _digest(secret)
        else:
            digest = ""
        if not name.strip() or role not in ROLES or not digest:
            raise ValueError(
                f"{path}, regel {number}: verwacht 'naam:rol:sha256:<hex>' of 'naam:rol:<token van minstens {MIN_TOKEN} tekens>'"
            )
        tokens.append(Token(name.strip(), role, digest))
    return tokens


def add_token(path, name: str, role: str = "raadslid") -> str:
    """Create a token for `name` (replacing its old one), store its digest, and return the token itself."""
    check_name_role(name, role)
    token = secrets.token_urlsafe(32)
    _rewrite(Path(path), name, f"{name}:{role}:sha256:{_digest(token)}")
    return token


def find_token(tokens: list[Token], given: str) -> Token | None:
    """The token matching `given`; every stored digest is compared in constant time."""
    digest = _digest(given or "")
    match = None
    for t in tokens:
        if hmac.compare_digest(t.digest, digest):
            match = t
    return match


# ---- failed logins ------------------------------------------------------------------------------------


class LoginLimiter:
    """At most `failures` failed attempts per key (a user name, an address) within `window` seconds."""

    def __init__(self, failures: int = 5, window: float = 60.0, clock=time.monotonic, max_keys: int = 100_000):
        self.failures, self.window, self.clock, self.max_keys = failures, window, clock, max_keys
        self._seen: dict[str, deque] = {}
        self._lock = threading.Lock()

    def retry_after(self, *keys: str) -> float:
        """Seconds until all `keys` may try again (0 when they may now)."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                times = self._seen.get(key)
                while times and now - times[0] >= self.window:
                    times.popleft()
                if times is not None and len(times) >= self.failures:
                    wait = max(wait, self.window - (now - times[0]))
        return wait

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._seen) > self.max_keys:  # a flood of made-up names must not fill the memory
                self._seen = {k: v for k, v in self._seen.items() if v and now - v[-1] < self.window}
            for key in keys:
                self._seen.setdefault(key, deque(maxlen=self.failures)).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._seen.pop(key, None)


# ---- who may do what ------------------------------------------------------------------------------------


@dataclass
class Access:
    """The users and tokens of a server (`[ui] auth_file`, `[ui] api_tokens`). With neither, nothing is
    checked (loopback use, tests)."""

    users: dict[str, User] = field(default_factory=dict)
    tokens: list[Token] = field(default_factory=list)
    limiter: LoginLimiter = field(default_factory=LoginLimiter)

    @classmethod
    def from_settings(cls, settings, auth_file: str | None = None) -> Access:
        users_path = auth_file or (settings.ui.auth_file if settings else "")
        tokens_path = settings.ui.api_tokens if settings else ""
        return cls(read_users(users_path) if users_path else {}, read_tokens(tokens_path) if tokens_path else [])

    @property
    def enabled(self) -> bool:
        return bool(self.users or self.tokens)

    def role_of(self, username: str | None) -> str | None:
        """The role of a logged-in user; everyone is beheerder when no login is configured."""
        if not self.enabled:
            return "beheerder"
        user = self.users.get(username or "")
        return user.role if user else None

    def check_password(self, name: str, password: str) -> bool:
        return verify_password(self.users.get(name or ""), password)

    def check_token(self, given: str) -> Token | None:
        return find_token(self.tokens, given)


def keys(name: str, address: str) -> tuple[str, str]:
    """The limiter keys of a login attempt: the user name (case-folded) and the client address."""
    return f"user:{(name or '').strip().casefold()[:64]}", f"addr:{address}"


def wait_message(seconds: float) -> str:
    return (
        f"Te veel mislukte inlogpogingen. Probeer het over {max(1, round(seconds))} seconden opnieuw. (Too many failed logins.)"
    )


__all__ = [
    "RIGHTS",
    "ROLES",
    "Access",
    "LoginLimiter",
    "Token",
    "User",
    "add_token",
    "add_user",
    "allows",
    "check_name_role",
    "find_token",
    "hash_password",
    "keys",
    "read_tokens",
    "read_users",
    "remove_user",
    "verify_password",
    "wait_message",
]
