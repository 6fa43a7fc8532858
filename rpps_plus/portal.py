"""What RPPS+ adds to the kernel (esms_portal.core.extensions): the ANS analysis of unlisted professions
(its queue), the gestionnaire's card for the registration right, the timed steps of a registration,
its onboarding milestones and demo data."""

from esms_portal.core.extensions import PortalExtension, StepHandler, WebhookEvent
from esms_portal.workflow.declarations import RequestType

from . import demo, psc, steps
from .models import Situation, SituationState
from .onboarding import RppsPlusProvider
from .permissions import GESTIONNAIRE_CARD
from .services import timeline


class ProfessionAnalysis(RequestType):
    """An unlisted profession is analysed by the ANS, not refused silently (NOMENCLATURES.md)."""

    model = Situation
    key, title = "rpps", "RPPS+ — professions hors liste"
    attestation_title = "RPPS+ — analyse d'une profession hors liste"  # the decision attestation's (issue #19)
    detail_url = "rpps_plus:analysis"
    organisation_url = "rpps_plus:situation"  # the analysis page is the agents'
    waiting_states = (SituationState.IN_ANALYSIS,)
    instruct_act = "rpps.analyse"
    view_act = "rpps.view"
    named = "l'analyse de la profession"
    # No document gives the ANS a delay to analyse an unlisted profession: the card forms' window.
    window = "rpps_profession_analysis"

    def case_people(self, situation):
        return [f"{situation.practice_first_name} {situation.practice_last_name}"]


EXTENSION = PortalExtension(
    requests=(ProfessionAnalysis(),),
    role_conditions=(GESTIONNAIRE_CARD,),
    step_handlers=(
        StepHandler(timeline.STEP_NUMBER, "RPPS+ : numéro RPPS attribué et envoyé par courriel", steps.rpps_number),
        StepHandler(timeline.STEP_PUBLISH, "RPPS+ : publication dans l'Annuaire Santé", steps.publish),
        StepHandler(timeline.STEP_ECPS, "RPPS+ : ouverture de l'activation e-CPS", steps.ecps_opening),
    ),
    onboarding=(RppsPlusProvider,),
    demo=demo.load_demo_data,
    webhook_events=(
        # The publication's timed step (services.timeline.situation_publish), 24 h after registration.
        WebhookEvent("professional.published", "Un professionnel est publié dans l'Annuaire Santé", "situation",
                     model="rpps_plus.Situation", acts=("publish",), state="published"),
    ),
    psc_identity=psc.psc_identity,
)
