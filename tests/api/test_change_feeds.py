"""Every list of the API is a change feed: `updated_since` keeps the rows changed since a moment,
`ordering=updated_at` reads them in the order they changed, the cursor pages stay exact when many rows
changed at the same moment, and a bad value is a 400 with a stable code."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from cards.models import Card
from cards.models import forms as card_forms
from cards.models.forms import CardIncident, DirectorCardOrder, MandateRequest, StaffCardOrder
from certificates import services as certificate_services
from certificates.models import AdministratorChange, AdministratorDesignation, CertificateOrder, TechnicalAdministrator
from contracts.models import Contract, Structure
from esms_portal import pki as igc
from esms_portal.models import Message
from rpps_plus.models import Professional, Situation
from tests.factories import CardFactory, StructureFactory, UserFactory
from tests.kernel.pki_support import make_csr

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # every row's last change...
T1 = T0 + timedelta(days=1)  # ...the client's last sync...
T2 = T1 + timedelta(hours=1)  # ...and one row changed since
T3 = T2 + timedelta(days=1)


@pytest.fixture
def world(pki, accepted, alice, alice_card, alpha):
    """At least one row in every list alice reads, on alpha; the directory's published entries."""
    site = alpha.sites_for_test[0]
    dave = UserFactory(email="dave@editeur.example", first_name="Dave", last_name="Editeur")
    CardFactory(active=True, holder=dave, family="CPA")
    CardFactory(active=True, holder=alice, organisation=alpha, family="CPE")
    f413 = certificate_services.f413_file(
        actor=alice, organisation=alpha, structure_id_kind="finess", structure_id=site.finess,
        certificate_types=[igc.Profile.ORG_AUTH_CLI], administrator_emails=[dave.email], server_names=[],
        software_names=["DUI Alpha"])
    ana = f413.agent or accepted.agent
    certificate_services.form_act(actor=ana, form=f413, act="start_instruction")
    certificate_services.form_accept(actor=ana, form=f413)
    certificate_services.certificate_order(actor=dave, organisation=alpha, profile=igc.Profile.ORG_AUTH_CLI,
                                           software_name="DUI Alpha", csr=make_csr(cn="DUI Alpha"))
    certificate_services.certificate_order(actor=dave, organisation=alpha, profile=igc.Profile.ORG_AUTH_CLI,
                                           software_name="DUI Beta", csr=make_csr(cn="DUI Beta"))
    AdministratorChange.objects.create(organisation=alpha, filed_by=alice, action="add", administrator=dave)
    AdministratorChange.objects.create(organisation=alpha, filed_by=alice, action="remove", administrator=dave)
    for n in range(2):
        CardIncident.objects.create(card=alice_card, kind="pin_lost", declared_by=alice)
        card_forms.TestCardOrder.objects.create(organisation=alpha, ordered_by=alice, family="CPE",
                                                delivery_address="1 rue")
        StaffCardOrder.objects.create(organisation=alpha, filed_by=alice)
        MandateRequest.objects.create(organisation=alpha, filed_by=alice, action="designate", designee_card=alice_card)
        Message.objects.create(request_type="contrats", request_pk=str(accepted.pk), organisation=alpha,
                               author=alice, body=f"Message {n}")
        professional = Professional.objects.create(
            civility="M", last_name="Durand", first_names=f"Paul{n}", birth_date=date(1980, 1, 1),
            birth_commune_code="69123", email=f"p{n}@example.org", mobile="0611223344", rpps=None)
        Situation.objects.create(professional=professional, site=site, practice_last_name="Durand",
                                 practice_first_name=f"Paul{n}", profession_code="326", role_code="GENR10",
                                 start_date=date(2024, 1, 1), state="active", published_at=timezone.now())
    DirectorCardOrder.objects.create(organisation=alpha, filed_by=alice, family="CDE", holder=alice,
                                     holder_last_name="Martin", holder_first_names="Alice", delivery_address="1 rue")
    return alpha


# (list URL, its model, who reads it): `alpha` and `card` stand for the world's organisation and card.
LISTS = [
    ("/api/v1/structures/", Structure, "alice"),
    ("/api/v1/contracts/", Contract, "alice"),
    ("/api/v1/requests/contrats/{contract}/messages/", Message, "alice"),
    ("/api/v1/cards/", Card, "alice"),
    ("/api/v1/cards/{card}/incidents/", CardIncident, "alice"),
    ("/api/v1/card-forms/f101/", DirectorCardOrder, "alice"),
    ("/api/v1/card-forms/f301/", StaffCardOrder, "alice"),
    ("/api/v1/card-forms/f502/", MandateRequest, "alice"),
    ("/api/v1/card-forms/f414/", card_forms.TestCardOrder, "alice"),
    ("/api/v1/certificates/f413/", AdministratorDesignation, "alice"),
    ("/api/v1/certificates/f503/", AdministratorChange, "alice"),
    ("/api/v1/certificates/", CertificateOrder, "alice"),
    ("/api/v1/certificates/administrators/", TechnicalAdministrator, "alice"),
    ("/api/v1/rpps/situations/", Situation, "alice"),
    ("/api/v1/rpps/annuaire/?name=dur", Situation, None),
]


def ids(response) -> list:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def with_params(url: str, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}{'&' if '?' in url else '?'}{query}"


@pytest.mark.parametrize(("url", "model", "reader"), LISTS, ids=[entry[0] for entry in LISTS])
def test_every_list_answers_what_changed_since_a_moment(world, api, alice, alice_card, accepted, url, model, reader):
    client = api(alice if reader else None)
    url = url.format(contract=accepted.pk, card=alice_card.pk)
    listed = ids(client.get(url))
    assert listed, "the world gives this list rows"
    model.objects.filter(pk__in=listed).update(updated_at=T0)
    changed = listed[-1]
    model.objects.filter(pk=changed).update(updated_at=T2)

    assert ids(client.get(with_params(url, updated_since=T1.isoformat().replace("+", "%2B")))) == [changed]
    assert ids(client.get(with_params(url, updated_since=T3.isoformat().replace("+", "%2B")))) == []
    assert sorted(map(str, ids(client.get(with_params(url, updated_since="2026-11-01T00:00:00Z"))))) == sorted(
        map(str, listed))
    assert ids(client.get(with_params(url, ordering="updated_at")))[-1] == changed
    assert ids(client.get(with_params(url, ordering="-updated_at")))[0] == changed


def test_a_change_through_a_service_moves_the_row_into_the_feed(api, alice, alpha):
    Structure.objects.update(updated_at=T0)
    site = alpha.sites_for_test[1]
    site.name = "Nouveau nom"
    site.save()
    assert ids(api(alice).get(f"/api/v1/structures/?updated_since={T1:%Y-%m-%dT%H:%M:%SZ}")) == [str(site.pk)]


def test_pages_ordered_by_updated_at_are_exact_when_rows_changed_at_the_same_moment(api, alice, alpha):
    for n in range(7):
        StructureFactory(legal_entity=alpha, name=f"Site {n}")
    Structure.objects.update(updated_at=T0)  # ties everywhere: pk breaks them
    Structure.objects.filter(name="Site 3").update(updated_at=T2)
    client = api(alice)
    expected = [str(pk) for pk in Structure.objects.filter(pk__in=[*alpha.members.values_list("pk", flat=True),
                                                                   alpha.pk]).order_by("updated_at", "pk")
                .values_list("pk", flat=True)]
    seen, url = [], "/api/v1/structures/?ordering=updated_at&page_size=2"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == expected and seen[-1] == str(Structure.objects.get(name="Site 3").pk)
    previous = client.get(client.get("/api/v1/structures/?ordering=updated_at&page_size=2").json()["next"]).json()
    assert [row["id"] for row in client.get(previous["previous"]).json()["results"]] == expected[:2]


@pytest.mark.parametrize("value", ["hier", "2026-11-02", "2026-11-02T08:00:00", "2026-13-02T08:00:00Z"])
def test_a_bad_updated_since_is_a_400_with_a_stable_code(api, alice, alpha, value):
    response = api(alice).get("/api/v1/structures/", {"updated_since": value})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_updated_since" and "ISO 8601" in response.json()["message"]


def test_a_plus_sign_left_unencoded_still_reads_as_a_time_zone(api, alice, alpha):
    Structure.objects.update(updated_at=T0)
    assert ids(api(alice).get("/api/v1/structures/?updated_since=2026-11-02T09:00:00+01:00")) != []
    assert ids(api(alice).get("/api/v1/structures/?updated_since=2026-11-02T10:00:00+01:00")) == []


def test_an_unknown_ordering_is_a_400_with_a_stable_code(api, alice, alpha):
    response = api(alice).get("/api/v1/structures/", {"ordering": "name"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_ordering"


def test_a_cursor_of_another_ordering_is_refused(api, alice, alpha):
    for n in range(3):
        StructureFactory(legal_entity=alpha, name=f"Site {n}")
    following = api(alice).get("/api/v1/structures/?page_size=1").json()["next"]
    cursor = following.split("cursor=")[1].split("&")[0]
    response = api(alice).get(f"/api/v1/structures/?ordering=updated_at&page_size=1&cursor={cursor}")
    assert response.status_code == 404 and response.json()["code"] == "invalid_cursor"


def test_the_directory_accepts_updated_since_alone_as_its_criterion(api, world):
    Situation.objects.update(updated_at=T0)
    assert api().get("/api/v1/rpps/annuaire/", {"updated_since": "2026-11-01T00:00:00Z"}).status_code == 200
    assert api().get("/api/v1/rpps/annuaire/").json()["code"] == "criteria_required"
