"""Agent names replaced by stable pseudonyms, for teams that keep names out of the tool.

A pseudonym is `Agent ` plus ten characters of HMAC-SHA256(key, name): the same
name always gets the same pseudonym in one workspace (so plans stay comparable
and a planner can keep a private list to map back), while without the key no one
can recover a name by hashing a list of candidate names. The key is 32 random
bytes in the workspace folder (`pseudonym.key`, readable by its owner only).
`agent_id` is left as it is, so joins with rosters and other files still hold.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import stat
import unicodedata
from pathlib import Path

import pandas as pd

KEY_FILE = "pseudonym.key"
KEY_BYTES = 32
PREFIX = "Agent "


def _normal(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(name)).split()).casefold()


def pseudonym(name: str, key: bytes) -> str:
    """The pseudonym of one name (case, spacing and Unicode form ignored); "" stays ""."""
    text = _normal(name)
    if not text:
        return ""
    digest = hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()
    return PREFIX + base64.b32encode(digest)[:10].decode("ascii")


def is_pseudonym(name: str) -> bool:
    """True for a value `pseudonym` produced (so pseudonymising twice changes nothing)."""
    text = str(name)
    code = text[len(PREFIX):]
    return (text.startswith(PREFIX) and len(code) == 10
            and all(ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for ch in code))


def pseudonymise_agents(agents: pd.DataFrame, key: bytes,
                        columns: tuple[str, ...] = ("name",)) -> pd.DataFrame:
    """A copy of the agents table with each of `columns` (by default `name`) replaced by
    pseudonyms; values that already are pseudonyms and empty cells are kept.

    Raises ValueError when a column is missing or two different names would get
    the same pseudonym (about one chance in 10**12 for a team of a thousand).
    """
    out = agents.copy()
    for column in columns:
        if column not in out.columns:
            raise ValueError(f"agents table: no column {column!r} to pseudonymise; the "
                             f"columns are {', '.join(map(str, out.columns))}")
        values = out[column].astype("string").fillna("")
        mapping: dict[str, str] = {}
        owners: dict[str, str] = {}
        for value in values.unique():
            if not value or is_pseudonym(value):
                mapping[value] = value
                continue
            alias = pseudonym(value, key)
            if owners.setdefault(alias, _normal(value)) != _normal(value):
                raise ValueError(f"agents table, column {column!r}: two names share the "
                                 f"pseudonym {alias}; rename one of them")
            mapping[value] = alias
        out[column] = values.map(mapping).astype(object)
    return out


def workspace_key(folder: str | Path) -> bytes:
    """The workspace's pseudonym key, created (32 random bytes, mode 0600) on first use.

    A key file that others may read is tightened to 0600; one of the wrong length
    is refused rather than replaced, since a new key would change every pseudonym.
    """
    path = Path(folder) / KEY_FILE
    if not path.exists():
        # Written in full under a private name, then linked into place, so a second
        # process never reads a half-written key and never replaces one.
        temp = path.with_name(f"{KEY_FILE}.{secrets.token_hex(8)}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(KEY_BYTES))
            try:
                os.link(temp, path)
            except FileExistsError:
                pass
        finally:
            temp.unlink(missing_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077 and os.name == "posix":
        path.chmod(0o600)
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise ValueError(f"{path}: the pseudonym key has {len(key)} bytes; expected "
                         f"{KEY_BYTES} (restore it from a backup: a new key changes every "
                         "pseudonym)")
    return key
