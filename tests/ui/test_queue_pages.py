"""The agents' queue pages by key: « Suivant / Précédent », a capped count, the same queries on any page."""

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import services
from esms_portal.backoffice import views as backoffice_views
from tests.factories import complete_contract_data


def submit(actor, structure):
    contract = services.contract_start(actor=actor, structure=structure)
    services.contract_update(actor=actor, contract_pk=contract.pk, data=complete_contract_data(), cgu_accepted=True)
    return services.contract_submit(actor=actor, contract_pk=contract.pk)


def test_the_queue_goes_to_the_next_dossier_by_key(client, ana, submitted, charlie, beta, monkeypatch,
                                                    django_assert_num_queries):
    submit(charlie, beta)
    monkeypatch.setattr(backoffice_views, "PAGE_SIZE", 1)
    client.force_login(ana)
    client.get(reverse("backoffice:queue"))  # warm the session
    with CaptureQueriesContext(connection) as counted:
        first = client.get(reverse("backoffice:queue")).content.decode()
    assert "Association Alpha" in first and "Fondation Beta" not in first and "Tous les types&nbsp;: 2" in first
    following = html.unescape(re.search(r'href="\?([^"]*)">Suivant</a>', first).group(1))
    with django_assert_num_queries(len(counted.captured_queries)):
        second = client.get(f"{reverse('backoffice:queue')}?{following}").content.decode()
    assert "Fondation Beta" in second and "Association Alpha" not in second and ">Précédent</a>" in second
