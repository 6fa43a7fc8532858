import pytest
from django.core.management import call_command

from rpps_plus import selectors, services
from rpps_plus.services.timeline import rpps_number_send, situation_publish
from tests.rpps_plus.conftest import person

pytestmark = pytest.mark.django_db


def test_the_demo_gestionnaire_registers_a_professional_who_reaches_the_directory(pki, capsys):
    from esms_portal.models import User

    call_command("load_demo")
    call_command("load_demo")
    assert "gestionnaire@demo.esms.example" in capsys.readouterr().out
    gestionnaire = User.objects.get(email="gestionnaire@demo.esms.example")
    assert gestionnaire.check_password("demo-esms-2026")
    [site, *_] = selectors.managed_sites(gestionnaire)
    situation = services.professional_register(actor=gestionnaire, data=person(), site=site)
    rpps_number_send(situation.professional_id)
    situation_publish(situation.pk)
    assert [s.pk for s in selectors.directory_search(name="lefevre").rows] == [situation.pk]
