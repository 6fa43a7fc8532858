from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificats logiciels"

    def ready(self):
        from esms_portal.workflow.backoffice import Queue, register_queue

        from .models import IN_FLIGHT_FORM_STATES, AdministratorChange, AdministratorDesignation

        for key, label, model in (
            ("f413", "F413 — administrateurs techniques", AdministratorDesignation),
            ("f503", "F503 — changements d'administrateur", AdministratorChange),
        ):
            register_queue(Queue(key=key, label=label, model=model, detail_url=f"certificates:{key}_detail",
                                 waiting_states=tuple(IN_FLIGHT_FORM_STATES)))
