"""Photo files: kept as "pending" while the citizen is still on the form, then attached."""

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from cps.complaints.models import Photo
from cps.complaints.photos import ProcessedPhoto
from cps.extensions import db

TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class PendingPhoto:
    """A processed photo waiting for its form to be sent."""

    token: str
    width: int
    height: int
    size_bytes: int
    position: tuple[float, float] | None


def root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def stash(photo: ProcessedPhoto) -> str:
    """Keep a processed photo until the form is sent; returns its token (a random name)."""
    folder = root() / "pending"
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}.jpg").write_bytes(photo.data)
    (folder / f"{token}.json").write_text(json.dumps({
        "width": photo.width, "height": photo.height, "size_bytes": len(photo.data),
        "position": list(photo.position) if photo.position else None}))
    return token


def pending(token: str) -> PendingPhoto | None:
    """The pending photo of `token`, or None (unknown, expired, or not a token at all)."""
    if not TOKEN.match(token or ""):
        return None
    try:
        meta = json.loads((root() / "pending" / f"{token}.json").read_text())
    except (OSError, ValueError):
        return None
    position = meta.get("position")
    return PendingPhoto(token, int(meta["width"]), int(meta["height"]), int(meta["size_bytes"]),
                        tuple(position) if position else None)


def attach(complaint, photos: list[PendingPhoto]) -> list[Photo]:
    """Photo rows for the complaint (a Complaint, or any object with its id and city_id),
    their files linked from pending; flushes."""
    rows = []
    for photo in photos:
        key = f"{complaint.city_id}/{photo.token}.jpg"
        target = root() / key
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            os.link(root() / "pending" / f"{photo.token}.jpg", target)
        rows.append(Photo(city_id=complaint.city_id, complaint_id=complaint.id, storage_key=key,
                          content_type="image/jpeg", width=photo.width, height=photo.height,
                          size_bytes=photo.size_bytes))
    db.session.add_all(rows)
    db.session.flush()
    return rows


def path_of(photo: Photo) -> Path:
    """Where the photo's file is."""
    return root() / photo.storage_key


def clean_pending(max_age_hours: float) -> int:
    """Delete pending photos older than `max_age_hours` (their forms were never sent)."""
    folder = root() / "pending"
    cutoff = time.time() - max_age_hours * 3600
    removed = 0
    for path in folder.glob("*") if folder.is_dir() else ():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += path.suffix == ".jpg"
    return removed
