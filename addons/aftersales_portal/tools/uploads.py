"""What the portal accepts as an upload (photos, videos, PDFs, office files)."""

import os

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
ALLOWED_EXTENSIONS = {
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic",
    ".mp4", ".mov", ".webm",
    ".pdf", ".txt", ".csv", ".xlsx", ".xls", ".docx", ".odt", ".ods", ".zip",
}  # fmt: skip


def upload_error(filename, size, max_bytes=MAX_UPLOAD_BYTES):
    """``None`` for an acceptable file, else ``"type"`` or ``"size"``.
    Executables, HTML, SVG and anything not listed are refused: the portal
    never serves back active content."""
    extension = os.path.splitext(filename or "")[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        return "type"
    if size is not None and size > max_bytes:
        return "size"
    return None
