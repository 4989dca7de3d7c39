from testkit.records import _fast_password_hashing, clinic, database_url, db, keyring  # noqa: F401
