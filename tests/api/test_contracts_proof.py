import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from esms_portal.core.uploads import PDF_MAX_BYTES, sha256

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def url(contract):
    return f"/api/v1/contracts/{contract.pk}/proof/"


def pdf(content=PDF, name="nomination.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(client, contract, file, kind="appointment"):
    return client.post(url(contract), {"file": file, "kind": kind}, format="multipart")


@pytest.mark.rule("R-CON-7")
def test_the_legal_representative_attaches_the_directors_appointment(api, alice, draft, private_media):
    response = upload(api(alice), draft, pdf())
    assert response.status_code == 200
    body = response.json()
    assert body["has_proof"] is True and body["proof_kind"] == "appointment"
    draft.refresh_from_db()
    assert (private_media / draft.proof_file).read_bytes() == PDF
    assert draft.proof_file not in response.content.decode()


@pytest.mark.rule("R-CON-7")
def test_the_proof_is_downloaded_as_a_pdf_by_those_who_read_the_contracts_details(api, alice, ana, draft):
    upload(api(alice), draft, pdf(), kind="delegation")
    for user in (alice, ana):
        response = api(user).get(url(draft), HTTP_ACCEPT="application/pdf")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == f'attachment; filename="justificatif-{draft.pk}.pdf"'


@pytest.mark.rule("R-CON-7")
def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(api, alice, draft, private_media):
    response = upload(api(alice), draft, pdf(b"MZ\x90\x00 not a pdf"))
    assert response.status_code == 400
    assert response.json() == {"code": "not_a_pdf", "message": "Le fichier n'est pas un PDF valide."}
    draft.refresh_from_db()
    assert draft.proof_file == "" and not any(private_media.iterdir())


@pytest.mark.rule("R-CON-7")
def test_an_oversized_file_is_refused(api, alice, draft, private_media):
    big = PDF[:-6] + b" " * PDF_MAX_BYTES + b"%%EOF\n"
    response = upload(api(alice), draft, pdf(big))
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"
    assert not any(private_media.iterdir())


@pytest.mark.parametrize("kind", ["", "passport"])
def test_the_kind_of_proof_must_be_given(api, alice, draft, kind):
    response = upload(api(alice), draft, pdf(), kind=kind)
    assert response.status_code == 400 and response.json()["code"] == "invalid_proof_kind"


def test_a_missing_file_is_a_400(api, alice, draft):
    response = api(alice).post(url(draft), {"kind": "appointment"}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["details"]


def test_a_json_body_is_a_415(api, alice, draft):
    response = api(alice).post(url(draft), {"file": "JVBERi0=", "kind": "appointment"}, format="json")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"


def test_a_submitted_dossier_takes_no_new_proof(api, alice, submitted):
    response = upload(api(alice), submitted, pdf())
    assert response.status_code == 409 and response.json()["code"] == "state_conflict"


def test_the_mandataire_cannot_attach_a_proof(api, bob, draft):
    response = upload(api(bob), draft, pdf())
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"


def test_without_a_proof_the_download_is_a_404_no_proof(api, alice, draft):
    response = api(alice).get(url(draft))
    assert response.status_code == 404
    assert response.json() == {"code": "no_proof", "message": "Aucune pièce justificative n'est jointe à ce dossier."}


def test_it_checks_ownership(api, alice, charlie, draft):
    upload(api(alice), draft, pdf())
    response = api(charlie).get(url(draft), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert response["Content-Type"] == "application/json"
    response = upload(api(charlie), draft, pdf(b"%PDF-1.4\nintrus\n%%EOF\n"))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.proof_sha256 == sha256(PDF)


def test_without_a_token_the_answer_is_401(api, draft):
    assert api().get(url(draft)).status_code == 401
    assert upload(api(), draft, pdf()).status_code == 401


@pytest.mark.rule("R-CON-7")
def test_a_proof_replaced_through_the_api_leaves_only_the_new_file(
    api, alice, draft, private_media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(api(alice), draft, pdf())
    with django_capture_on_commit_callbacks(execute=True):
        upload(api(alice), draft, pdf(PDF + b"\n"))
    draft.refresh_from_db()
    assert [p.relative_to(private_media).as_posix() for p in private_media.rglob("*.pdf")] == [draft.proof_file]
