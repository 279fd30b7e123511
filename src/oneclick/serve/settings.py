"""How the service is set up: the store, the API keys, the limits. Read from the environment by the CLI only.

Keys come from ``ONECLICK_API_KEYS`` (comma-separated) or a file of one key per line
(``--keys-file`` / ``ONECLICK_API_KEYS_FILE``; blank lines and ``#`` comments skipped). A key is
never logged or stored: the request log keeps its id, the start of its sha256.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from oneclick.errors import ConfigError
from oneclick.serve.schemas import MAX_CUSTOMERS

MIN_KEY_LENGTH = 16
KEYS_VARIABLE = "ONECLICK_API_KEYS"
KEYS_FILE_VARIABLE = "ONECLICK_API_KEYS_FILE"


@dataclass(frozen=True)
class ServiceSettings:
    """Everything ``oneclick serve`` can be told besides the host and port."""

    store: Path
    api_keys: tuple[str, ...] = field(repr=False)
    # A 10,000-customer request is ~7 MB of JSON; anything much larger is not a request of ours.
    max_body_bytes: int = 16 * 1024 * 1024
    max_customers: int = MAX_CUSTOMERS  # fewer may be set; more than the API's schema allows may not
    # Requests of up to this many customers are scored together with the others waiting (serve.batching);
    # larger ones alone. A batch costs little more than one customer up to a few hundred.
    batch_customers: int = 256
    # How often the store is checked for a new run or champion, and the request log written to it.
    refresh_seconds: float = 2.0
    # Signs the dashboard's session cookie; a new one at each start logs everyone out, which is fine.
    session_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)

    def __post_init__(self) -> None:
        if not 1 <= self.max_customers <= MAX_CUSTOMERS:
            raise ConfigError(f"max_customers={self.max_customers}: expected 1 to {MAX_CUSTOMERS}")
        if not self.api_keys:
            raise ConfigError(
                f"no API keys: set {KEYS_VARIABLE} (comma-separated) or pass --keys-file; "
                "every route but /health needs one"
            )
        short = [key_id(k) for k in self.api_keys if len(k) < MIN_KEY_LENGTH]
        if short:
            raise ConfigError(f"API keys {short} (by id) are shorter than {MIN_KEY_LENGTH} characters")
        if self.max_body_bytes < 1024 or self.batch_customers < 1:
            raise ConfigError("max_body_bytes must be at least 1024 and batch_customers at least 1")

    def key_id_of(self, presented: str | None) -> str | None:
        """The id of the key presented, or None; every key is compared, each in constant time."""
        if not presented:
            return None
        found = None
        for key in self.api_keys:
            if hmac.compare_digest(key.encode(), presented.encode()):
                found = key
        return key_id(found) if found is not None else None


def key_id(key: str) -> str:
    """A key's id for logs: ``key-`` and the first 8 hex digits of its sha256."""
    return "key-" + hashlib.sha256(key.encode()).hexdigest()[:8]


def load_api_keys(environ: Mapping[str, str], keys_file: Path | None = None) -> tuple[str, ...]:
    """Keys from ``ONECLICK_API_KEYS`` and from ``keys_file`` (or ``ONECLICK_API_KEYS_FILE``)."""
    keys = [k.strip() for k in environ.get(KEYS_VARIABLE, "").split(",") if k.strip()]
    path = keys_file or (Path(environ[KEYS_FILE_VARIABLE]) if environ.get(KEYS_FILE_VARIABLE) else None)
    if path is not None:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as err:
            raise ConfigError(f"{path}: cannot read the API keys file ({err.strerror})") from err
        keys += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return tuple(dict.fromkeys(keys))
