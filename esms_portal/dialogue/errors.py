"""The refusals of the dialogue, each with its stable API code and French message (core.errors)."""

from esms_portal.core.errors import InvalidInput, StateConflict

MAX_BODY = 5000
MAX_ATTACHMENTS = 5


class MessageTooLong(InvalidInput, code="message_too_long",
                     message=f"Le message dépasse {MAX_BODY} caractères : raccourcissez-le ou joignez un document."):
    pass


class EmptyMessage(InvalidInput, code="empty_message", message="Le message est vide : écrivez un texte ou joignez "
                                                              "un document."):
    pass


class TooManyAttachments(InvalidInput, code="too_many_attachments",
                         message=f"Un message porte au plus {MAX_ATTACHMENTS} pièces jointes."):
    pass


class RequestClosed(StateConflict, code="request_closed",
                    message="Cette demande est close (décidée ou abandonnée) : on ne peut plus y répondre."):
    pass


class NoCompletionRequested(StateConflict, code="no_completion_requested",
                            message="Aucun complément n'est demandé sur cette demande."):
    pass
