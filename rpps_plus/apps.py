from django.apps import AppConfig


class RppsPlusConfig(AppConfig):
    name = "rpps_plus"
    verbose_name = "RPPS+"

    def ready(self):
        from esms_portal.workflow.backoffice import Queue, register_queue

        from . import checks  # noqa: F401  (registers esms.E030)
        from .models import Situation, SituationState

        # An unlisted profession is analysed by the ANS, not refused silently (NOMENCLATURES.md).
        register_queue(Queue(key="rpps", label="RPPS+ — professions hors liste", model=Situation,
                             detail_url="rpps_plus:analysis", waiting_states=(SituationState.IN_ANALYSIS,)))
