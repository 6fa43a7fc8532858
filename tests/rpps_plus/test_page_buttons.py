"""The pages' buttons are the acts the machine allows the visitor now (STYLE.md convention 2)."""

import pytest
from django.urls import reverse

from rpps_plus import services
from rpps_plus.nomenclatures import PROFESSIONS
from rpps_plus.services.bulk import blank_template_csv

from .conftest import person

pytestmark = pytest.mark.django_db

LIFECYCLE = ("Changer le rôle", "Terminer la situation", "Enregistrer son départ")
PRE_REGISTRATION = ("Valider la pré-inscription", "Refuser")


def page(client, user, name, pk) -> str:
    client.force_login(user)
    return client.get(reverse(name, args=[pk])).content.decode()


def test_an_active_situation_offers_its_lifecycle(client, gina, registered):
    body = page(client, gina, "rpps_plus:situation", registered.pk)
    assert all(label in body for label in LIFECYCLE)
    assert "Valider la pré-inscription" not in body


def test_an_ended_situation_offers_nothing(client, gina, registered):
    services.situation_end(actor=gina, situation_pk=registered.pk)
    body = page(client, gina, "rpps_plus:situation", registered.pk)
    assert not any(label in body for label in LIFECYCLE + PRE_REGISTRATION)


def test_a_pre_registration_offers_validation_to_the_legal_representative(client, alice, gina, site):
    situation = services.professional_register(actor=gina, data=person(), site=site, origin="self")
    body = page(client, alice, "rpps_plus:situation", situation.pk)
    assert all(label in body for label in PRE_REGISTRATION) and "Cycle de vie" not in body


def test_an_agent_reads_a_situation_without_its_employers_buttons(client, ana, registered):
    body = page(client, ana, "rpps_plus:situation", registered.pk)
    assert "Lefèvre" in body and not any(label in body for label in LIFECYCLE)


def test_the_agent_decides_an_unlisted_profession_while_it_is_in_analysis(client, ana, gina, site):
    situation = services.professional_register(
        actor=gina, data=person(profession_code="autre", profession_other="Gestionnaire de cas"), site=site)
    assert "Accepter avec cette profession" in page(client, ana, "rpps_plus:analysis", situation.pk)
    services.situation_reject_profession(actor=ana, situation_pk=situation.pk, reason="Hors champ")
    assert "Accepter avec cette profession" not in page(client, ana, "rpps_plus:analysis", situation.pk)


def test_a_confirmed_import_offers_no_second_confirmation(client, gina, alpha, site):
    content = blank_template_csv().replace("0B1000021", site.finess).encode()
    bulk = services.bulk_import_preview(actor=gina, organisation=alpha, file_name="t.csv", content=content)
    assert "Confirmer l'enregistrement" in page(client, gina, "rpps_plus:bulk_preview", bulk.pk)
    services.bulk_import_confirm(actor=gina, import_pk=bulk.pk)
    body = page(client, gina, "rpps_plus:bulk_preview", bulk.pk)
    assert "Confirmer l'enregistrement" not in body and "Import confirmé le" in body


def test_the_analysis_offers_each_decision_with_its_own_fields_and_confirms_it(client, ana, gina, site):
    situation = services.professional_register(
        actor=gina, data=person(profession_code="autre", profession_other="Gestionnaire de cas"), site=site)
    body = page(client, ana, "rpps_plus:analysis", situation.pk)
    accept, reject = body.split('value="accept_profession"')[1], body.split('value="reject_profession"')[1]
    assert "Profession retenue" in accept.split("</form>")[0] and "<textarea" not in accept.split("</form>")[0]
    assert "Motif du refus (obligatoire)" in reject.split("</form>")[0]
    url = reverse("rpps_plus:analysis", args=[situation.pk])
    confirmation = client.post(url, {"act": "accept_profession", "profession_code": "312"}).content.decode()
    assert "Confirmer : accepter avec cette profession" in confirmation
    assert PROFESSIONS["312"] in confirmation  # the profession by its name, not its code
    said = client.post(url, {"act": "accept_profession", "profession_code": "312", "confirmed": "1"},
                       follow=True).content.decode()
    assert "est acceptée." in said
    situation.refresh_from_db()
    assert situation.profession_code == "312"
