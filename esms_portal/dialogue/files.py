"""An attachment streamed to whom may see its request (others: 404), never by a public URL."""

from django.http import FileResponse, Http404

from esms_portal.core.uploads import private_storage
from esms_portal.dialogue import selectors
from esms_portal.models import Attachment


def attachment_response(obj, message_pk, attachment_pk, *, download: bool = False) -> FileResponse:
    try:
        attachment = selectors.attachment_get(obj, message_pk, attachment_pk)
        stream = private_storage.open(attachment.file, "rb")
    except (Attachment.DoesNotExist, ValueError, FileNotFoundError):
        raise Http404("Pièce jointe introuvable.") from None
    response = FileResponse(stream, content_type=attachment.content_type, as_attachment=download,
                            filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
