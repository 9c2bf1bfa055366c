"""Storage: server-made keys only, atomic writes, owner-only files (SECURITY_TESTS.md C5)."""
import os
import stat

import pytest
from flask import Flask

from app import ConfigurationError
from app.storage import InvalidStorageKey, Storage, check_key, get_storage, new_key
from app.storage.local import LocalDiskStorage


@pytest.fixture
def storage(tmp_path):
    return LocalDiskStorage(tmp_path / "files")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_save_returns_a_sharded_server_made_key(storage):
    key = storage.save(b"%PDF-1.7 ...")
    assert check_key(key) == key and len(key) == 38
    first, second, name = key.split("/")
    assert name.startswith(first + second)
    assert (storage.root / key).read_bytes() == b"%PDF-1.7 ..."
    assert storage.save(b"same bytes") != storage.save(b"same bytes")


def test_files_are_owner_only_and_no_temporary_file_remains(storage):
    key = storage.save(b"x" * 10_000)
    path = storage.root / key
    assert mode(path) == 0o600
    assert mode(path.parent) == mode(path.parent.parent) == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_save_leaves_nothing_behind(storage, monkeypatch, failing):
    def fail(*args):
        raise OSError("disk full")
    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(OSError, match="disk full"):
        storage.save(b"half a file")
    monkeypatch.undo()
    assert [p for p in storage.root.rglob("*") if p.is_file()] == []
    assert list(storage.keys()) == []


def test_open_exists_delete(storage):
    key = storage.save(b"content")
    assert storage.exists(key)
    with storage.open(key) as handle:
        assert handle.read() == b"content"
    storage.delete(key)
    assert not storage.exists(key)
    storage.delete(key)  # deleting twice is not an error
    with pytest.raises(FileNotFoundError):
        storage.open(key)


VALID = new_key()


@pytest.mark.parametrize("key", [
    "../../etc/passwd",
    "/etc/passwd",
    f"{VALID[:6]}../{VALID[6:]}",
    f"{VALID}/../../x",
    "aa/bb/" + "aabb" + "0" * 28 + "/..",
    VALID.upper(),
    VALID.replace("/", "\\"),
    VALID + "\n",
    VALID + ".pdf",
    "00/11/" + "ff" * 16,  # the shards must be the name's first digits
    VALID[6:],  # unsharded
    "..%2f..%2fetc%2fpasswd",
    "",
    None,
    VALID.encode(),
])
def test_keys_not_in_the_server_format_are_refused(storage, key):
    for method in (storage.open, storage.delete, storage.exists):
        with pytest.raises(InvalidStorageKey):
            method(key)


def test_a_symlink_planted_in_the_store_is_not_followed(storage, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not yours")
    key = new_key()
    path = storage.root / key
    path.parent.mkdir(parents=True)
    path.symlink_to(secret)
    with pytest.raises(OSError):
        storage.open(key)


def test_keys_lists_stored_blobs_only(storage):
    saved = {storage.save(b"a"), storage.save(b"b")}
    key = next(iter(saved))
    (storage.root / key).parent.joinpath(".tmp-crashed").write_bytes(b"partial")
    (storage.root / "README").write_text("not a blob")
    (storage.root / "zz").mkdir()
    assert set(storage.keys()) == saved


def test_get_storage_defaults_to_local_disk_at_the_upload_folder(tmp_path):
    app = Flask(__name__)
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    with app.app_context():
        storage = get_storage()
        assert isinstance(storage, LocalDiskStorage) and isinstance(storage, Storage)
        assert storage.root == (tmp_path / "uploads").resolve()
        assert get_storage() is storage


def test_get_storage_refuses_a_backend_that_is_not_a_storage(tmp_path):
    app = Flask(__name__)
    app.config.update(UPLOAD_FOLDER=str(tmp_path), STORAGE_BACKEND="collections.OrderedDict")
    with app.app_context(), pytest.raises(ConfigurationError, match="STORAGE_BACKEND"):
        get_storage()


def test_the_configured_upload_folder_is_outside_the_static_folder():
    import config
    from app import PROJECT_DIR

    upload = os.path.realpath(config.UPLOAD_FOLDER)
    static = os.path.realpath(PROJECT_DIR / "app" / "static")
    assert os.path.commonpath([upload, static]) != static
