"""The reporter's private key: it lets whoever holds it reopen and rate their complaint."""

import hashlib
import hmac
import secrets


def new_owner_key() -> str:
    """A fresh key to give the reporter (in a link); the database keeps only its digest."""
    return secrets.token_urlsafe(18)


def key_digest(key: str) -> str:
    return hashlib.sha256(str(key)[:100].encode()).hexdigest()


def holds_key(complaint, key: str | None) -> bool:
    """True when `key` is the complaint's private key."""
    if not key or not complaint.owner_key_hash:
        return False
    return hmac.compare_digest(key_digest(key), complaint.owner_key_hash)
