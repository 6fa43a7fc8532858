import pytest
from django.urls import reverse

from rpps_plus.models import Situation, SituationState
from rpps_plus.services.timeline import rpps_number_send, situation_publish

from .conftest import person

pytestmark = pytest.mark.django_db


def form_data(site, **overrides):
    data = {**person(), "site": site.pk, **overrides}
    return {key: str(value) for key, value in data.items()}


def test_the_gestionnaire_registers_through_the_page(client, gina, site):
    client.force_login(gina)
    response = client.post(reverse("rpps_plus:register"), form_data(site))
    situation = Situation.objects.get()
    assert response.status_code == 302 and response.url == reverse("rpps_plus:situation", args=[situation.pk])
    page = client.get(response.url)
    assert "Julie Anne" in page.content.decode() and "en cours d" in page.content.decode()


@pytest.mark.rule("R-RPP-8")
def test_the_page_shows_every_wrong_field(client, gina, site):
    client.force_login(gina)
    response = client.post(reverse("rpps_plus:register"), form_data(site, mobile="12", birth_country_code="99134"))
    body = response.content.decode()
    assert response.status_code == 200 and "Téléphone mobile invalide" in body and "Lieu de naissance" in body


@pytest.mark.rule("R-RPP-14")
def test_the_page_says_no_registration_is_needed(client, gina, site):
    client.force_login(gina)
    response = client.post(reverse("rpps_plus:register"), form_data(site, existing_number="99700771191"))
    assert "pas besoin d&#x27;enregistrement RPPS+" in response.content.decode()


def test_an_outsider_gets_404_on_a_situation_and_a_site(client, charlie, registered, site):
    client.force_login(charlie)
    assert client.get(reverse("rpps_plus:situation", args=[registered.pk])).status_code == 404
    assert client.get(reverse("rpps_plus:site", args=[site.pk])).status_code == 404
    assert "EHPAD Les Tilleuls" not in client.get(reverse("rpps_plus:register")).content.decode()


def test_a_sites_list_of_many_professionals_takes_a_constant_number_of_queries(
        client, gina, site, django_assert_max_num_queries):
    from rpps_plus import services

    client.force_login(gina)
    for n in range(3):
        services.professional_register(actor=gina, site=site,
                                       data=person(last_name=f"Nom{n}", practice_last_name=f"Nom{n}"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("rpps_plus:site", args=[site.pk]))
    for n in range(3, 40):
        services.professional_register(actor=gina, site=site,
                                       data=person(last_name=f"Nom{n}", practice_last_name=f"Nom{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("rpps_plus:site", args=[site.pk]))
    assert response.content.decode().count("Nom3") >= 1


def test_the_gestionnaire_ends_a_situation_from_its_page(client, gina, registered):
    client.force_login(gina)
    client.post(reverse("rpps_plus:situation_act", args=[registered.pk, "end"]), {"end_date": "2030-01-01"})
    registered.refresh_from_db()
    assert registered.state == SituationState.ENDED


@pytest.mark.rule("R-RPP-4")
def test_the_legal_representative_grants_from_mes_habilitations(client, alice, alpha, site):
    from tests.factories import CardFactory, UserFactory

    staff = UserFactory(email="sam@alpha.example", first_name="Sam", last_name="Staff")
    CardFactory(active=True, holder=staff, organisation=alpha, family="CPE")
    client.force_login(alice)
    assert "Sam Staff" in client.get(reverse("rpps_plus:rights")).content.decode()
    client.post(reverse("rpps_plus:rights"), {"user": staff.pk, "sites": [site.pk]})
    page = client.get(reverse("rpps_plus:rights")).content.decode()
    assert "EHPAD Les Tilleuls" in page
    client.post(reverse("rpps_plus:rights_withdraw", args=[staff.pk]))
    assert "Aucun gestionnaire" in client.get(reverse("rpps_plus:rights")).content.decode()


@pytest.mark.rule("R-RPP-8", "R-RPP-11")
def test_the_public_directory_never_shows_contact_or_birth_data(client, registered):
    rpps_number_send(registered.professional_id)
    situation_publish(registered.pk)
    rpps = registered.professional.__class__.objects.get().rpps
    for url in (reverse("rpps_plus:directory") + "?name=lef",
                reverse("rpps_plus:directory_entry", args=[registered.pk])):
        body = client.get(url).content.decode()
        assert rpps in body and "Éducateur spécialisé" in body and "EHPAD Les Tilleuls" in body
        for private in ("julie.lefevre@example.org", "+33612345678", "06 12 34 56 78", "1985", "69123"):
            assert private not in body


def test_an_unpublished_situation_is_not_in_the_directory(client, registered):
    assert client.get(reverse("rpps_plus:directory_entry", args=[registered.pk])).status_code == 404


def test_the_bulk_import_pages_preview_then_confirm(client, gina, site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rpps_plus.services.bulk import blank_template_csv

    client.force_login(gina)
    content = blank_template_csv().replace("0B1000021", site.finess).encode()
    response = client.post(reverse("rpps_plus:bulk_upload"), {"file": SimpleUploadedFile("t.csv", content)})
    assert response.status_code == 302
    assert "Sera enregistré" in client.get(response.url).content.decode()
    client.post(response.url)
    assert Situation.objects.count() == 1


@pytest.mark.rule("R-RPP-8")
def test_the_page_registers_with_an_empty_practice_name(client, gina, site):
    client.force_login(gina)
    response = client.post(reverse("rpps_plus:register"), form_data(site, practice_last_name=""))
    assert response.status_code == 302 and Situation.objects.get().practice_last_name == "Lefèvre"


def test_the_history_names_each_act_in_french(client, gina, registered):
    client.force_login(gina)
    body = client.get(reverse("rpps_plus:situation", args=[registered.pk])).content.decode()
    assert "Enregistrement par Gina Gestion" in body and "Register" not in body


def test_the_registration_form_preselects_no_civility(client, gina, site):
    client.force_login(gina)
    body = client.get(reverse("rpps_plus:register")).content.decode()
    civility = body[body.index('name="civility"'):].split("</select>")[0]
    assert '<option value="" selected>— Choisir —</option>' in civility and 'value="M" selected' not in civility
    assert "Éducateur spécialisé" in body and "Educateur" not in body
