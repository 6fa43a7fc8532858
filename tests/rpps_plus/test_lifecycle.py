from datetime import date, timedelta

import pytest

from esms_portal.core.errors import ActNotAllowed, ReasonRequired
from esms_portal.models import AuditEntry, Role, RoleGrant
from rpps_plus import selectors, services
from rpps_plus.models import SituationState
from rpps_plus.services.timeline import situation_publish
from tests.factories import CardFactory, UserFactory

from .conftest import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_gestionnaire(alpha, other_site):
    """A gestionnaire limited to alpha's second site."""
    user = UserFactory(email="sg@alpha.example")
    CardFactory(active=True, holder=user, organisation=alpha, family="CPE")
    grant = RoleGrant.objects.create(user=user, role=Role.GESTIONNAIRE_RPPS, organisation=alpha)
    grant.sites.set([other_site])
    return user


@pytest.mark.rule("R-RPP-5")
def test_ending_a_situation_takes_it_out_of_the_directory(gina, registered):
    situation_publish(registered.pk)
    assert selectors.directory_search(name="lefevre").rows
    ended = services.situation_end(actor=gina, situation_pk=registered.pk, end_date=date.today())
    assert ended.state == SituationState.ENDED and ended.end_date == date.today()
    assert selectors.directory_search(name="lefevre").rows == []
    assert AuditEntry.objects.get(object_id=str(registered.pk), act="end").actor == gina


@pytest.mark.rule("R-RPP-5")
def test_only_a_gestionnaire_of_that_site_manages_the_situation(site_gestionnaire, registered):
    with pytest.raises(ActNotAllowed):
        services.situation_end(actor=site_gestionnaire, situation_pk=registered.pk)
    with pytest.raises(ActNotAllowed):
        services.situation_change_role(actor=site_gestionnaire, situation_pk=registered.pk, role_code="GENR12")


@pytest.mark.rule("R-RPP-5", "R-RPP-9")
def test_the_gestionnaire_changes_the_role(gina, registered):
    changed = services.situation_change_role(actor=gina, situation_pk=registered.pk, role_code="GENR12")
    assert changed.role_code == "GENR12"
    entry = AuditEntry.objects.get(object_id=str(registered.pk), act="change_role")
    assert entry.snapshot == {"from": "GENR10", "to": "GENR12"} and entry.actor == gina


def test_an_end_date_before_the_start_is_refused(gina, registered):
    from esms_portal.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.situation_end(actor=gina, situation_pk=registered.pk, end_date=registered.start_date - timedelta(1))


@pytest.mark.rule("R-RPP-5")
def test_the_professional_leaves_only_his_employers_situations_end(gina, registered, other_site, beta):
    services.professional_register(actor=gina, data=person(), site=other_site)
    beta_rep = UserFactory(email="rep@beta.example")
    RoleGrant.objects.create(user=beta_rep, role=Role.LEGAL_REPRESENTATIVE, organisation=beta)
    elsewhere = services.professional_register(actor=beta_rep, data=person(), site=beta.sites_for_test[0])
    ended = services.professional_leave(actor=gina, professional_pk=registered.professional_id)
    assert len(ended) == 2 and {s.state for s in ended} == {SituationState.ENDED}
    elsewhere.refresh_from_db()
    assert elsewhere.state == SituationState.ACTIVE


@pytest.mark.rule("R-RPP-7")
def test_the_ans_settles_an_unlisted_profession(gina, site, ana):
    situation = services.professional_register(
        actor=gina, data=person(profession_code="autre", profession_other="Gestionnaire de cas"), site=site)
    accepted = services.situation_accept_profession(actor=ana, situation_pk=situation.pk, profession_code="312")
    assert accepted.state == SituationState.ACTIVE and accepted.profession_code == "312"
    assert accepted.professional.registered_at is not None


@pytest.mark.rule("R-RPP-7")
def test_the_ans_rejects_an_unlisted_profession_with_a_reason(gina, site, ana):
    situation = services.professional_register(
        actor=gina, data=person(profession_code="autre", profession_other="Jardinier"), site=site)
    with pytest.raises(ReasonRequired):
        services.situation_reject_profession(actor=ana, situation_pk=situation.pk, reason=" ")
    rejected = services.situation_reject_profession(actor=ana, situation_pk=situation.pk, reason="Hors champ")
    assert rejected.state == SituationState.REJECTED


def test_a_gestionnaire_cannot_settle_a_profession(gina, site):
    situation = services.professional_register(
        actor=gina, data=person(profession_code="autre", profession_other="Jardinier"), site=site)
    with pytest.raises(ActNotAllowed):
        services.situation_accept_profession(actor=gina, situation_pk=situation.pk, profession_code="312")


def test_a_name_prefix_is_a_range_that_keeps_every_match():
    from rpps_plus.selectors import _after_prefix

    assert [_after_prefix(p) for p in ("BR", "BZ", "BZ Z", "ZZ")] == ["BS", "C", "C", ""]
