"""The database folder: the embedded default backend (see `store.storage`)."""
