import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts import services
from contracts.models import Contract, ContractState
from tests.factories import complete_contract_data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def detail(contract):
    return reverse("contracts:detail", args=[contract.pk])


@pytest.mark.rule("R-CON-2")
def test_the_start_page_recommends_finess_juridique_for_a_multi_site_organisation(client, alice, alpha):
    client.force_login(alice)
    page = client.get(reverse("contracts:home")).content.decode()
    assert "Recommandé : votre organisation compte 2 établissements" in page
    assert str(alpha.sites_for_test[0].pk) not in page  # no site-level contract for a multi-site EJ


@pytest.mark.rule("R-CON-2")
def test_a_single_site_structure_is_offered_both_levels(client, charlie, beta):
    client.force_login(charlie)
    page = client.get(reverse("contracts:home")).content.decode()
    assert str(beta.pk) in page and str(beta.sites_for_test[0].pk) in page


def test_starting_opens_a_draft_then_the_home_leads_to_it(client, alice, alpha):
    client.force_login(alice)
    response = client.post(reverse("contracts:home"), {"structure": str(alpha.pk)})
    contract = Contract.objects.get(organisation=alpha)
    assert response.url == reverse("contracts:edit", args=[contract.pk])
    assert client.get(reverse("contracts:home")).url == detail(contract)


@pytest.mark.rule("R-CON-4")
def test_submitting_an_incomplete_form_says_what_is_missing_field_by_field(client, alice, draft):
    client.force_login(alice)
    response = client.post(reverse("contracts:edit", args=[draft.pk]), {"submit": "1", "capacity": "director"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Acceptez les conditions générales" in page
    assert "Renseignez : nom du représentant légal" in page
    draft.refresh_from_db()
    assert draft.state == ContractState.DRAFT and draft.capacity == "director"  # the draft kept what was typed


def test_a_draft_saved_then_submitted_from_the_form(client, alice, draft):
    client.force_login(alice)
    data = {**complete_contract_data(), "cgu_accepted": "on"}
    client.post(reverse("contracts:edit", args=[draft.pk]), {**data, "draft": "1"})
    draft.refresh_from_db()
    assert draft.state == ContractState.DRAFT and draft.cgu_accepted_at
    response = client.post(reverse("contracts:edit", args=[draft.pk]), {**data, "submit": "1"}, follow=True)
    assert "Dossier déposé" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == ContractState.SUBMITTED


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.mark.rule("R-CON-7")
def test_an_invalid_proof_saves_nothing_of_the_edit_and_the_form_keeps_what_was_typed(
    client, alice, draft, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)
    data = complete_contract_data(capacity="president", card_arrangement="director_card", proof_kind="delegation")
    data["cgu_accepted"] = "on"
    data["proof"] = SimpleUploadedFile("delegation.pdf", PNG, content_type="application/pdf")
    page = client.post(reverse("contracts:edit", args=[draft.pk]), data).content.decode()
    assert "n&#x27;est pas un PDF valide" in page
    assert 'value="director_card" checked' in page  # the form keeps what was typed
    draft.refresh_from_db()
    assert (draft.card_arrangement, draft.representative_last_name, draft.cgu_accepted_at) == ("", "", None)
    assert not draft.proof_file and not any(tmp_path.rglob("*.pdf"))


@pytest.mark.rule("R-CON-7")
def test_a_replaced_proof_is_deleted_once_the_replacement_is_committed(
    client, alice, draft, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)
    data = complete_contract_data(capacity="president", card_arrangement="director_card", proof_kind="delegation")
    with django_capture_on_commit_callbacks(execute=True):
        data["proof"] = SimpleUploadedFile("premier.pdf", PDF, content_type="application/pdf")
        client.post(reverse("contracts:edit", args=[draft.pk]), data)
    draft.refresh_from_db()
    first = draft.proof_file
    with django_capture_on_commit_callbacks(execute=True):
        data["proof"] = SimpleUploadedFile("second.pdf", PDF + b"\n", content_type="application/pdf")
        client.post(reverse("contracts:edit", args=[draft.pk]), data)
    draft.refresh_from_db()
    assert draft.proof_file != first
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pdf")) == [draft.proof_file]


@pytest.mark.rule("R-CON-7")
def test_the_proof_is_served_only_to_those_who_may_see_the_contract(
    client, alice, charlie, ana, draft, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("acte.pdf", PDF, content_type="application/pdf")
    services.contract_attach_proof(actor=alice, contract_pk=draft.pk, upload=upload, kind="appointment")
    url = reverse("contracts:proof", args=[draft.pk])
    for user, status in ((alice, 200), (ana, 200), (charlie, 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Type"] == "application/pdf"


def test_outsiders_get_404_on_every_contract_page(client, charlie, draft):
    client.force_login(charlie)
    for url in (detail(draft), reverse("contracts:edit", args=[draft.pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("contracts:act", args=[draft.pk, "submit"])).status_code == 404
    assert client.post(reverse("dialogue:post", args=["contrats", draft.pk]), {"body": "x"}).status_code == 404


def test_the_dossier_page_shows_history_messages_and_next_step(client, alice, ana, in_instruction):
    message = "Merci de préciser le téléphone."
    services.contract_ask_completion(actor=ana, contract_pk=in_instruction.pk, message=message)
    client.force_login(alice)
    page = client.get(detail(in_instruction)).content.decode()
    assert "Compléments demandés" in page
    assert "Merci de préciser le téléphone." in page
    assert "Le délai d'instruction est suspendu" in page
    assert "Prise en charge par l&#x27;ANS" in page and "Demande de compléments" in page  # the history
    # His answer, from available_acts: the conversation's form, with the missing files (esms_portal.dialogue).
    assert 'id="completion-answer"' in page and "Renvoyer le dossier complété" not in page


def test_the_agent_acts_from_the_dossier_page(client, ana, submitted):
    client.force_login(ana)
    page = client.get(detail(submitted)).content.decode()
    assert "Prendre en charge" in page and "Accepter le contrat" not in page
    client.post(reverse("contracts:act", args=[submitted.pk, "start_instruction"]))
    response = client.post(reverse("contracts:act", args=[submitted.pk, "reject"]), {"reason": ""}, follow=True)
    assert "Un motif est obligatoire" in response.content.decode()
    client.post(reverse("contracts:act", args=[submitted.pk, "accept"]), {"confirmed": "1"})
    submitted.refresh_from_db()
    assert submitted.state == ContractState.ACCEPTED


def test_a_stale_second_decision_gets_a_message_not_an_error(client, ana, in_instruction):
    services.contract_accept(actor=ana, contract_pk=in_instruction.pk)
    client.force_login(ana)
    response = client.post(reverse("contracts:act", args=[in_instruction.pk, "reject"]),
                           {"reason": "x", "confirmed": "1"}, follow=True)
    assert response.status_code == 200
    assert "a changé d&#x27;état" in response.content.decode()


@pytest.mark.rule("R-CON-5")
def test_the_agents_queue_shows_each_dossier_against_the_window(client, ana, submitted, django_assert_max_num_queries):
    client.force_login(ana)
    with django_assert_max_num_queries(10):  # the queue's 8, its unread messages, the header's notifications
        page = client.get(reverse("backoffice:queue")).content.decode()
    assert "Association Alpha" in page and "0 j / 6-16 j — Dans les délais" in page


def test_the_queue_is_for_agents_only(client, alice, submitted):
    client.force_login(alice)
    assert client.get(reverse("backoffice:queue")).status_code == 403


def test_an_agent_lands_on_the_queue(client, ana):
    client.force_login(ana)
    assert client.get(reverse("home")).url == reverse("backoffice:queue")


def test_a_proof_missing_from_storage_answers_404_not_500(client, alice, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("acte.pdf", PDF, content_type="application/pdf")
    contract = services.contract_attach_proof(actor=alice, contract_pk=draft.pk, upload=upload, kind="appointment")
    (tmp_path / contract.proof_file).unlink()
    client.force_login(alice)
    assert client.get(reverse("contracts:proof", args=[draft.pk])).status_code == 404


def test_a_legal_representative_reaches_his_contract_from_the_menu(client, alice):
    client.force_login(alice)
    page = client.get(reverse("contracts:home")).content.decode()
    assert f'href="{reverse("contracts:home")}"' in page and "Contrat d'adhésion</a>" in page


@pytest.mark.rule("R-FIN-5", "R-FIN-3", "R-CON-1")
def test_a_structure_known_by_its_siret_opens_its_contract_from_the_page(client, diane, gamma):
    client.force_login(diane)
    page = client.get(reverse("contracts:home")).content.decode()
    assert f"SIRET {gamma.siret} (sans patients ni usagers)" in page
    response = client.post(reverse("contracts:home"), {"structure": str(gamma.pk)})
    contract = Contract.objects.get(organisation=gamma)
    assert response.url == reverse("contracts:edit", args=[contract.pk])


@pytest.mark.rule("R-FIN-5")
def test_a_care_giving_structure_without_finess_is_told_why_in_french(client, diane, gamma):
    gamma.gives_care = True
    gamma.save(update_fields=["gives_care"])
    client.force_login(diane)
    page = client.post(reverse("contracts:home"), {"structure": str(gamma.pk)}, follow=True).content.decode()
    assert "contractualise avec son numéro FINESS" in page
    assert not Contract.objects.exists()
