"""Photos and scans: decoded under a pixel budget, turned upright, re-encoded without metadata.

Re-encoding is the point: whatever rode along in the original (EXIF with GPS position and
camera serial, comments, ICC blobs, trailing bytes of a polyglot) is not copied, and the bytes we
store and hash are ones Pillow wrote.
"""
from __future__ import annotations

from io import BytesIO

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, JpegImagePlugin, PngImagePlugin

from app.uploads import UploadRejected, too_complex, unreadable

# What one image may make us decode and re-encode, the work a citizen can ask for with every
# upload: a 6300 × 6300 PNG (39.7 million pixels, under the former 40 million) took 2.3 s.
# 25 million keeps a 12-24 megapixel phone photo and an A4 page scanned at 400 dpi (15.5
# million) as they are; a 48-50 megapixel phone photo or a 600 dpi scan is JPEG and is decoded
# at half scale (12 million pixels, still sharper than a reviewer's screen), cheaply, by the
# JPEG decoder itself (draft). A PNG past it is refused before any pixel is decoded.
# ``UPLOAD_MAX_PIXELS`` (config) overrides it.
MAX_PIXELS = 25_000_000
# Each progressive scan makes the decoder pass over the whole image again; cameras write ~10.
MAX_JPEG_SCANS = 100
JPEG_QUALITY = 90
_PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "I;16"})
# The format's own reader, not Image.open(): it reads the header only, and it skips Pillow's
# process-wide MAX_IMAGE_PIXELS guard, which would refuse big phone JPEGs that we can still
# decode at a reduced scale. Our own budget below replaces that guard.
_READERS = {"JPEG": JpegImagePlugin.JpegImageFile, "PNG": PngImagePlugin.PngImageFile}


def check_jpeg(data: bytes, name: str, extension: str) -> bytes:
    """Return the JPEG decoded and re-encoded at quality 90, upright, without metadata."""
    # 0xFF 0xDA is the start-of-scan marker; entropy-coded data escapes 0xFF, so it cannot
    # occur there by accident.
    if data.count(b"\xff\xda") > MAX_JPEG_SCANS:
        raise too_complex(name)
    image = _decode(data, "JPEG", name, extension)
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    out = BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def check_png(data: bytes, name: str, extension: str) -> bytes:
    """Return the PNG decoded and re-encoded, upright, without metadata."""
    image = _decode(data, "PNG", name, extension)
    if image.mode not in _PNG_MODES:
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    out = BytesIO()
    # zlib level 6, not optimize=True (level 9): measured 15× slower for 10 % smaller files,
    # which on a 40-megapixel scan would hold a worker for a minute.
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def pixel_budget() -> int:
    """Return how many pixels an image may decode to: ``UPLOAD_MAX_PIXELS`` or MAX_PIXELS."""
    configured = current_app.config.get("UPLOAD_MAX_PIXELS") if has_app_context() else None
    return int(configured) if configured else MAX_PIXELS


def _decode(data: bytes, image_format: str, name: str, extension: str) -> Image.Image:
    budget = pixel_budget()
    try:
        image = _READERS[image_format](BytesIO(data))
        width, height = image.size
        if width * height > budget and image_format == "JPEG":
            _draft_within_budget(image, budget)
        if image.size[0] * image.size[1] > budget:
            raise _too_many_pixels(name, width, height, budget)
        image.load()  # the only step that allocates pixels: after the size check
        upright = ImageOps.exif_transpose(image)
    except UploadRejected:
        raise
    except Exception:  # Pillow raises many types for malformed input; all mean "not readable"
        raise unreadable(name, extension) from None
    # Only the transparency colour is image data; everything else in info is metadata.
    upright.info = {k: v for k, v in upright.info.items() if k == "transparency"}
    return upright


def _draft_within_budget(image: Image.Image, budget: int) -> None:
    width, height = image.size
    for scale in (2, 4, 8):
        if (width // scale) * (height // scale) <= budget:
            image.draft(image.mode, (max(1, width // scale), max(1, height // scale)))
            return


def _too_many_pixels(name: str, width: int, height: int, budget: int) -> UploadRejected:
    return UploadRejected("content", _l(
        "%(name)s has too many pixels (%(width)s × %(height)s); at most %(limit)s million are "
        "accepted. Please upload a smaller image.",
        name=name, width=width, height=height, limit=f"{budget / 1_000_000:g}"))
