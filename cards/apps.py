from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "cards"
    verbose_name = "Cartes CPx"

    def ready(self):
        from esms_portal.auth import card_session
        from esms_portal.workflow.backoffice import Queue, register_queue

        from . import selectors
        from .models import DirectorCardOrder, MandateRequest, StaffCardOrder
        from .models.forms import IN_FLIGHT_FORM_STATES

        card_session.register_card_check(selectors.card_is_usable)
        for key, label, model in (
            ("f101", "F101 — carte du représentant légal", DirectorCardOrder),
            ("f301", "F301 — cartes du personnel", StaffCardOrder),
            ("f502", "F502 — mandataires", MandateRequest),
        ):
            register_queue(Queue(key=key, label=label, model=model, detail_url=f"cards:{key}_detail",
                                 waiting_states=tuple(IN_FLIGHT_FORM_STATES)))
