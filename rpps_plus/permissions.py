"""What RPPS+ adds to the kernel's permissions (declared in rpps_plus/portal.py).

The legal representative holds the RPPS+ right by default; a gestionnaire RPPS+ holds it by grant
and uses it only while he holds a usable CPE or CDE of the EJ (R-RPP-4, R-RPP-5): withdrawing the
grant or opposing the card stops him at his next act.
"""

from cards.models import CardFamily
from cards.selectors import holds_active_card
from esms_portal.core.extensions import RoleCondition
from esms_portal.models import Role

from .errors import GestionnaireCardRequired

# R-RPP-4 names the CPE. The CDE is the director's card of the same family of establishment
# staff (R-CRD-1): a director made gestionnaire (e.g. when the president is the legal
# representative, R-CON-7) must not need a second card. CPA/CDA (structures giving no care) are
# not accepted: the rule says CPE.
GESTIONNAIRE_CARD_FAMILIES = (CardFamily.CPE, CardFamily.CDE)


def holds_gestionnaire_card(user, organisation_id) -> bool:
    return holds_active_card(user, organisation_id=organisation_id, families=GESTIONNAIRE_CARD_FAMILIES)


GESTIONNAIRE_CARD = RoleCondition("rpps.register", Role.GESTIONNAIRE_RPPS, holds_gestionnaire_card,
                                  GestionnaireCardRequired)
