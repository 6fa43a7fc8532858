from django.urls import reverse

from tests.factories import UserFactory


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_mandataire_lands_on_his_organisations_onboarding_timeline(client, bob, alpha):
    client.force_login(bob)
    assert client.get(reverse("home")).url == reverse("onboarding:timeline", args=[alpha.pk])


def test_an_account_without_organisation_is_told_so(client, db):
    client.force_login(UserFactory(email="seul@example.org"))
    assert "rattaché à aucune organisation" in client.get(reverse("home"), follow=True).content.decode()
