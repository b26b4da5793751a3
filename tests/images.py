"""Images for tests: photos with and without GPS, a PNG, and hostile files."""

import io
import struct
import zlib

from PIL import Image


def jpeg_with_gps(lat: float, lon: float, size=(8, 8)) -> bytes:
    """A JPEG whose EXIF says it was taken at (lat, lon), with a camera model too."""
    image = Image.new("RGB", size, "white")
    exif = Image.Exif()
    exif[0x0110] = "Camera Model X"
    gps = exif.get_ifd(0x8825)

    def dms(value):
        d = int(value)
        m = int((value - d) * 60)
        return (d, m, round(((value - d) * 60 - m) * 60, 4))
    gps.update({1: "N" if lat >= 0 else "S", 2: dms(abs(lat)), 3: "E" if lon >= 0 else "W",
                4: dms(abs(lon))})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def plain_jpeg(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, "JPEG")
    return out.getvalue()


def png_with_alpha(size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (255, 0, 0, 128)).save(out, "PNG")
    return out.getvalue()


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG that claims (and would decompress to) width x height pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    row = b"\x00" + b"\x00" * (width // 8 + 1)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(64)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(
        b"IEND", b"")
