"""The F503 page: add or remove a technical administrator from the certificates home (R-CER-1)."""

import pytest

from certificates import services
from certificates.models import AdministratorChange
from tests.factories import CardFactory, UserFactory


@pytest.fixture
def erin(alpha):
    user = UserFactory(email="erin@alpha.example", first_name="Erin", last_name="Admin")
    CardFactory(active=True, holder=user, organisation=alpha)
    return user


def url(alpha):
    return f"/certificats/organisation/{alpha.pk}/f503/"


def test_the_home_links_to_the_f503_once_there_is_an_administrator(client, f413, alice, alpha, ana):
    client.force_login(alice)
    assert url(alpha) not in client.get(f"/certificats/organisation/{alpha.pk}/").content.decode()
    services.form_act(actor=ana, form=f413, act="start_instruction")
    services.form_accept(actor=ana, form=f413)
    assert url(alpha) in client.get(f"/certificats/organisation/{alpha.pk}/").content.decode()


@pytest.mark.rule("R-CER-1")
def test_the_legal_representative_asks_to_add_an_administrator(client, f413_accepted, alice, alpha, erin):
    client.force_login(alice)
    page = client.get(url(alpha)).content.decode()
    assert "dave@editeur.example" in page and 'name="action"' in page
    response = client.post(url(alpha), {"action": "add", "administrator_email": erin.email})
    form = AdministratorChange.objects.get()
    assert response.status_code == 302 and response.url == f"/certificats/f503/{form.pk}/"
    assert form.action == "add" and form.administrator == erin and form.state == "submitted"
    home = client.get(f"/certificats/organisation/{alpha.pk}/").content.decode()
    assert f"/certificats/f503/{form.pk}/" in home


def test_removing_someone_who_is_not_an_administrator_says_why(client, f413_accepted, alice, alpha, erin):
    client.force_login(alice)
    response = client.post(url(alpha), {"action": "remove", "administrator_email": erin.email})
    assert response.status_code == 200
    assert "n&#x27;est pas administrateur technique" in response.content.decode()
    assert not AdministratorChange.objects.exists()


def test_an_administrator_may_not_file_it(client, f413_accepted, dave, alpha, erin):
    client.force_login(dave)
    response = client.post(url(alpha), {"action": "add", "administrator_email": erin.email})
    assert response.status_code == 200 and "pas le droit" in response.content.decode()
    assert not AdministratorChange.objects.exists()


def test_an_outsider_gets_404(client, f413_accepted, charlie, alpha):
    client.force_login(charlie)
    assert client.get(url(alpha)).status_code == 404
    assert client.post(url(alpha), {"action": "add", "administrator_email": "x@y.fr"}).status_code == 404
