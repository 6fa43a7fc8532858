from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


def test_the_login_form_asks_for_an_email_and_a_password(client):
    page = client.get(reverse("login")).content.decode()
    assert 'type="email"' in page and 'autocomplete="email"' in page
    assert 'type="password"' in page
    assert "Adresse électronique" in page and "Mot de passe" in page


def test_a_member_logs_in_and_lands_on_his_organisation(client, alice, alpha):
    response = client.post(reverse("login"), {"username": alice.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("onboarding:timeline", args=[alpha.pk])  # its timeline
    assert "Association Alpha" in response.content.decode()


def test_a_wrong_password_is_refused_in_french(client, alice):
    response = client.post(reverse("login"), {"username": alice.email, "password": "pas le bon"})
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_log_in(client, db):
    user = UserFactory(email="parti@example.org", is_active=False)
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_the_login_keeps_the_page_asked_for(client, alice, alpha):
    detail = reverse("structures:detail", args=[alpha.pk])
    response = client.get(detail)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(response.url, {"username": alice.email, "password": PASSWORD, "next": detail})
    assert response.url == detail


def test_logout_is_a_post_and_returns_to_the_login_page(client, alice):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_logout_by_get_is_refused(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
