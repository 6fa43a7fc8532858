"""Uploaded proofs: checked by content (never by name or declared type), stored outside the web root,
served only by views that checked the permission first."""

import hashlib
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from esms_portal.core.errors import InvalidInput

PDF_MAX_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
# A PDF ends with %%EOF, possibly followed by whitespace; look in its last kilobyte.
PDF_TAIL = 1024


@deconstructible
class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT without a public URL: files are streamed by permission-checked views."""

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return settings.MEDIA_ROOT

    @property
    def location(self):
        return str(settings.MEDIA_ROOT)

    def url(self, name):
        raise ValueError("Les pièces privées ne sont pas servies par URL publique.")


private_storage = PrivateStorage()


class UploadRejected(InvalidInput):
    code = "invalid_upload"


class FileTooLarge(UploadRejected, code="file_too_large", status=413):
    """A file over its cap, refused from its size before it is read."""

    def __init__(self, max_bytes: int):
        super().__init__(f"Le fichier dépasse la taille maximale de {max_bytes // (1024 * 1024)} Mo.")


def refuse_too_large(upload, max_bytes: int) -> None:
    """FileTooLarge when the upload's size (known before reading it) is over `max_bytes`."""
    if upload.size is not None and upload.size > max_bytes:
        raise FileTooLarge(max_bytes)


def read_pdf(upload, *, max_bytes: int = PDF_MAX_BYTES) -> bytes:
    """The bytes of an uploaded PDF, or UploadRejected with the French reason."""
    refuse_too_large(upload, max_bytes)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileTooLarge(max_bytes)
    if not data.startswith(PDF_MAGIC) or b"%%EOF" not in data[-PDF_TAIL:]:
        raise UploadRejected("Le fichier n'est pas un PDF valide.", code="not_a_pdf")
    return data


# The attachments a message may carry, recognised by their content (magic numbers, `filetype`):
# mime type -> the extension they are stored and served with. No office format: the ANS documents
# (shared/seeds) ask for none.
ATTACHMENT_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    suffix: str
    name: str  # the name it was sent with, for display only


def read_attachment(upload, *, max_bytes: int = ATTACHMENT_MAX_BYTES) -> CheckedFile:
    """An uploaded PDF, PNG or JPEG recognised by its content whatever its name says, or
    UploadRejected (`file_too_large`, `unsupported_file_type`, `not_a_pdf`)."""
    refuse_too_large(upload, max_bytes)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileTooLarge(max_bytes)
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ATTACHMENT_TYPES:
        raise UploadRejected(f"« {_shown_name(upload)} » n'est ni un PDF, ni une image PNG ou JPEG.",
                             code="unsupported_file_type")
    if kind.mime == "application/pdf" and b"%%EOF" not in data[-PDF_TAIL:]:
        raise UploadRejected(f"« {_shown_name(upload)} » n'est pas un PDF valide.", code="not_a_pdf")
    return CheckedFile(data, kind.mime, ATTACHMENT_TYPES[kind.mime], _shown_name(upload))


def _shown_name(upload) -> str:
    name = (getattr(upload, "name", "") or "piece").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable() and c not in '"<>')[:150] or "piece"


def store_private(data: bytes, *, folder: str, suffix: str = ".pdf") -> str:
    """Store bytes under a random name in private storage; returns the storage name."""
    name = f"{folder}/{uuid.uuid4().hex}{suffix}"
    return private_storage.save(name, ContentFile(data))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
