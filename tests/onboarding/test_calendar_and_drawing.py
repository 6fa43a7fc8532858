"""The calendar (iCalendar export) and the drawing (accessible SVG) of the timeline."""

from django.urls import reverse


def test_the_calendar_exports_one_event_per_dated_step(client, alice, alpha, submitted):
    client.force_login(alice)
    response = client.get(reverse("onboarding:ics", args=[alpha.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 9  # every step has a date: done, expected or estimated
    assert f"UID:{alpha.pk}-contract@" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_the_drawing_carries_its_text_alternative(client, alice, alpha):
    client.force_login(alice)
    response = client.get(reverse("onboarding:svg", args=[alpha.pk]))
    svg = response.content.decode()
    assert response["Content-Type"].startswith("image/svg+xml")
    assert 'role="img"' in svg and 'aria-labelledby="frise-titre frise-description"' in svg
    assert "Étape 2, Contrat d&#x27;adhésion : À faire" in svg


def test_the_page_draws_the_timeline_inline_without_javascript(client, alice, alpha):
    client.force_login(alice)
    page = client.get(reverse("onboarding:timeline", args=[alpha.pk])).content.decode()
    assert "<svg" in page and "<desc id=\"frise-description\">" in page
    assert "#18753c" in page  # FINESS done, DSFR success colour


def test_the_legal_representative_declares_the_services(client, alice, alpha, lucie):
    client.force_login(alice)
    url = reverse("onboarding:declaration", args=[alpha.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"insi_by_certificate": "no", "mssante_mode": "third_party",
                                 "mssante_operator": "Mailiz", "rpps_plus_needed": "on"})
    assert response.status_code == 302
    declaration = alpha.service_declaration
    assert declaration.insi_by_certificate is False and declaration.mssante_operator == "Mailiz"
    assert declaration.updated_by == alice


def test_a_third_party_operator_must_be_named(client, alice, alpha):
    client.force_login(alice)
    response = client.post(reverse("onboarding:declaration", args=[alpha.pk]), {"mssante_mode": "third_party"})
    assert response.status_code == 200 and "Indiquez l&#x27;opérateur" in response.content.decode()


def test_a_gestionnaire_may_not_declare(client, alpha, alice):
    from esms_portal.models import Role, RoleGrant
    from tests.factories import UserFactory

    gina = UserFactory(email="gina@alpha.example")
    RoleGrant.objects.create(user=gina, role=Role.GESTIONNAIRE_RPPS, organisation=alpha)
    client.force_login(gina)
    assert client.get(reverse("onboarding:timeline", args=[alpha.pk])).status_code == 200
    assert client.get(reverse("onboarding:declaration", args=[alpha.pk])).status_code == 403
