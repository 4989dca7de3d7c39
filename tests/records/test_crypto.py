import os
import stat

import pytest

from afternote.records.crypto import Keyring, create_key_file, new_key, read_key_file
from afternote.records.errors import KeyProblem, RecordTampered


def test_roundtrip_and_binding_to_the_row():
    ring = Keyring((new_key(),))
    blob = ring.encrypt("Jane Doe", "clients", "name_enc", "a1")
    assert b"Jane" not in blob
    assert ring.decrypt(blob, "clients", "name_enc", "a1") == "Jane Doe"
    with pytest.raises(RecordTampered):
        ring.decrypt(blob, "clients", "name_enc", "b2")  # copied into another row


def test_old_keys_still_decrypt_after_rotation_starts():
    old = Keyring((new_key(),))
    blob = old.encrypt("x", "t", "c", 1)
    both = Keyring((new_key(),) + old.keys)
    assert both.decrypt(blob, "t", "c", 1) == "x" and not both.is_current(blob)
    with pytest.raises(KeyProblem):
        Keyring((new_key(),)).decrypt(blob, "t", "c", 1)


def test_key_file_is_owner_only_and_never_overwritten(tmp_path):
    path = tmp_path / "afternote.key"
    ring = create_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_key_file(path) == ring
    with pytest.raises(KeyProblem, match="already exists"):
        create_key_file(path)
    os.chmod(path, 0o644)
    with pytest.raises(KeyProblem, match="chmod 600"):
        read_key_file(path)


def test_seal_depends_on_key_and_practice():
    ring = Keyring((new_key(),))
    seal = ring.seal("p1", b"content")
    assert ring.check_seal("p1", b"content", seal)
    assert not ring.check_seal("p2", b"content", seal)
    assert not ring.check_seal("p1", b"content!", seal)
    assert not Keyring((new_key(),)).check_seal("p1", b"content", seal)
