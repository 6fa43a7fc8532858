import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_agent(ana):
    ana.is_superuser = False
    ana.save()
    return ana


def test_an_agent_consults_professionals_and_situations(client, admin_agent, registered):
    client.force_login(admin_agent)
    assert client.get(reverse("admin:rpps_plus_professional_changelist")).status_code == 200
    page = client.get(reverse("admin:rpps_plus_professional_change", args=[registered.professional.pk]))
    assert page.status_code == 200
    assert client.get(reverse("admin:rpps_plus_situation_changelist")).status_code == 200


@pytest.mark.rule("R-RPP-8")
def test_contact_data_stay_out_of_the_lists(client, admin_agent, registered):
    client.force_login(admin_agent)
    page = client.get(reverse("admin:rpps_plus_professional_changelist")).content.decode()
    assert registered.professional.email not in page and registered.professional.mobile not in page


def test_members_do_not_see_the_rpps_admin(client, alice):
    alice.is_staff = False
    client.force_login(alice)
    assert client.get(reverse("admin:rpps_plus_professional_changelist")).status_code in (302, 403)
