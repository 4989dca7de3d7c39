"""Encryption at rest (AES-256-GCM) and the keyed seal of signed notes (HMAC-SHA256).

A keyring is one or more 32-byte keys, the current one first. Ciphertext names the key that made it, so a rotation
that stopped half-way still decrypts. Each ciphertext is bound to its table, column and row (associated data), so a
value copied into another row does not decrypt. Seal keys are derived per practice from the current key.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from afternote.records.errors import KeyProblem, RecordTampered

_VERSION = b"\x01"
RESTORE_KEY = ("Restore the key file that was in use from your backup (into the data directory, then `chmod 600` "
               "it), or on a server set AFTERNOTE_KEY to that key; see docs/security.md, \"The key: backup and "
               "recovery\".")
_KID = 4  # bytes of key id in each ciphertext


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"afternote key id" + key).digest()[:_KID]


def encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii")


def decode_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise KeyProblem("An encryption key is not valid base64. Keys are made by `afternote init` or "
                         "`afternote rotate-key`.") from None
    if len(key) != 32:
        raise KeyProblem("An encryption key is not 32 bytes (AES-256). Keys are made by `afternote init`.")
    return key


def aad(table: str, column: str, row_id: object) -> bytes:
    return f"afternote:{table}.{column}:{row_id}".encode()


@dataclass(frozen=True)
class Keyring:
    """The keys that encrypt health data; `keys[0]` encrypts and seals, every key decrypts."""

    keys: tuple[bytes, ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise KeyProblem("No encryption key. Run `afternote init`, or set AFTERNOTE_KEY on a server.")
        object.__setattr__(self, "_ciphers", {key_id(k): AESGCM(k) for k in self.keys})

    @property
    def current(self) -> bytes:
        return self.keys[0]

    def _find(self, kid: bytes) -> bytes:
        for key in self.keys:
            if key_id(key) == kid:
                return key
        raise KeyProblem("A record is encrypted under a key that is not in the keyring. Restore the key file "
                         "(or AFTERNOTE_KEY) that was in use when it was written.")

    def encrypt(self, text: str | None, table: str, column: str, row_id: object) -> bytes | None:
        if text is None:
            return None
        nonce = os.urandom(12)
        sealed = self._ciphers[key_id(self.current)].encrypt(nonce, text.encode("utf-8"), aad(table, column, row_id))
        return _VERSION + key_id(self.current) + nonce + sealed

    def decrypt(self, blob: bytes | None, table: str, column: str, row_id: object) -> str | None:
        if blob is None:
            return None
        blob = bytes(blob)
        if len(blob) < 1 + _KID + 12 + 16 or blob[:1] != _VERSION:
            raise RecordTampered(f"Stored data in {table}.{column} of record {row_id} is not afternote ciphertext: "
                                 "it was altered outside afternote. Restore from a backup.")
        cipher = self._ciphers.get(blob[1:1 + _KID]) or self._find(blob[1:1 + _KID])
        try:
            plain = cipher.decrypt(blob[1 + _KID:13 + _KID], blob[13 + _KID:], aad(table, column, row_id))
        except InvalidTag:
            raise RecordTampered(f"Stored data in {table}.{column} of record {row_id} failed authentication: it was "
                                 "altered outside afternote. Restore from a backup.") from None
        return plain.decode("utf-8")

    def is_current(self, blob: bytes | None) -> bool:
        return blob is None or bytes(blob)[1:1 + _KID] == key_id(self.current)

    def seal(self, practice_id: str, data: bytes) -> str:
        """A keyed seal of `data`: `<key id>$<hmac>`; nobody without the key can make one that verifies."""
        return self._seal_with(self.current, practice_id, data)

    def check_seal(self, practice_id: str, data: bytes, seal: str) -> bool:
        kid_hex, _, _ = seal.partition("$")
        try:
            key = self._find(bytes.fromhex(kid_hex))
        except (ValueError, KeyProblem):
            return False
        return hmac.compare_digest(self._seal_with(key, practice_id, data), seal)

    @staticmethod
    def _seal_with(key: bytes, practice_id: str, data: bytes) -> str:
        seal_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                        info=b"afternote seal " + practice_id.encode()).derive(key)
        return key_id(key).hex() + "$" + hmac.new(seal_key, data, hashlib.sha256).hexdigest()


def create_key_file(path: Path) -> Keyring:
    """A new key file readable by its owner only (0600); refuses to overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = new_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyProblem(f"A key file already exists at {path}; it was kept. Losing it loses the records.") from None
    with os.fdopen(fd, "w") as handle:
        handle.write(encode_key(key) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return Keyring((key,))


def write_key_file(path: Path, keyring: Keyring) -> None:
    """Replace the key file atomically (write, fsync, rename), keeping 0600."""
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("".join(encode_key(k) + "\n" for k in keyring.keys))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def read_key_file(path: Path) -> Keyring:
    if not path.exists():
        raise KeyProblem(f"No encryption key: no key file at {path} and AFTERNOTE_KEY is not set. {RESTORE_KEY} "
                         "A new data directory is set up with `afternote init` instead.")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyProblem(f"The key file {path} can be read by other users (mode {mode:o}). "
                         f"Run `chmod 600 {path}` and try again.")
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    return Keyring(tuple(decode_key(line) for line in lines))


def keyring_from(settings) -> Keyring:
    """The keyring from AFTERNOTE_KEY (servers) or the key file (one computer)."""
    if settings.key:
        return Keyring(tuple(decode_key(part) for part in settings.key.split(",") if part.strip()))
    return read_key_file(settings.key_path)
