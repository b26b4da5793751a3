"""Citizens' photos: checked by their content, size-limited, resized and stripped of metadata."""

import io
import warnings
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cps.complaints.errors import PhotoError, PhotoTooLarge
from cps.routing.photos import photo_position

# What a phone camera or gallery sends; the type is read from the bytes, never the file name.
FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
JPEG_QUALITY = 82


@dataclass
class ProcessedPhoto:
    """A photo ready to store: JPEG bytes without metadata, its size, and where it was taken."""

    data: bytes
    width: int
    height: int
    position: tuple[float, float] | None


def process_photo(data: bytes, name: str = "") -> ProcessedPhoto:
    """Check, read the GPS of, resize and re-encode one uploaded photo; PhotoError if unusable."""
    config = current_app.config
    if not data:
        raise PhotoError(_("The file %(name)s is empty.", name=name[:80]))
    if len(data) > config["MAX_PHOTO_BYTES"]:
        raise PhotoTooLarge(_("The photo %(name)s is too large (at most %(mb)d MB).",
                              name=name[:80], mb=config["MAX_PHOTO_BYTES"] // 2**20))
    position = photo_position(data)
    try:
        image = _decoded(data, name, config["MAX_PHOTO_PIXELS"], config["PHOTO_MAX_SIDE"])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise PhotoError(_("The file %(name)s is not a photo we can read (JPEG, PNG or WebP).",
                           name=name[:80])) from None
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ProcessedPhoto(out.getvalue(), image.width, image.height, position)


def _decoded(data: bytes, name: str, max_pixels: int, max_side: int) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data))
        if image.format not in FORMATS:
            raise ValueError(image.format)
        width, height = image.size
        if width * height > max_pixels:
            raise _too_many_pixels(name)
        image.draft("RGB", (max_side, max_side))
        image = ImageOps.exif_transpose(image)
        image.thumbnail((max_side, max_side))
        return _flattened(image)


def _too_many_pixels(name: str) -> PhotoTooLarge:
    return PhotoTooLarge(_("The photo %(name)s has too many pixels. Please send a smaller one.",
                           name=name[:80]))


def _flattened(image: Image.Image) -> Image.Image:
    """RGB on white: transparency has no meaning in a JPEG."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")
