"""R-CRD-15 and R-CRD-6 as one table: which role files which card form of its organisation."""

import pytest

from esms_portal.core.permissions import may
from esms_portal.models import Role, RoleGrant
from tests.factories import UserFactory

ACTS = ["f101.file", "f301.file", "f502.file", "f414.file", "card.oppose", "card.incident", "card.update_holder"]
TABLE = {
    Role.LEGAL_REPRESENTATIVE: {"f101.file", "f301.file", "f502.file", "f414.file", "card.oppose", "card.incident",
                                "card.update_holder"},
    # R-CRD-5: order MIE, oppose, reissue codes, update holder data; not the director's F101, not F502.
    Role.MANDATAIRE: {"f301.file", "f414.file", "card.oppose", "card.incident", "card.update_holder"},
    Role.GESTIONNAIRE_RPPS: {"f414.file"},
    Role.TECHNICAL_ADMIN: {"f414.file"},
    Role.PROFESSIONAL: {"f414.file"},  # test cards: anyone (R-CRD-14)
}


@pytest.mark.rule("R-CRD-15", "R-CRD-5", "R-CRD-14")
@pytest.mark.parametrize("role", list(TABLE))
def test_each_role_files_exactly_its_forms(alpha, role):
    user = UserFactory(email=f"{role}@alpha.example")
    RoleGrant.objects.create(user=user, role=role, organisation=alpha)
    assert {act for act in ACTS if may(user, act, alpha)} == TABLE[role]


@pytest.mark.rule("R-CRD-15")
def test_nobody_files_for_another_organisation(alpha, charlie):
    assert not any(may(charlie, act, alpha) for act in ACTS)
