"""The card login page speaks to a gestionnaire: what to plug in, where to get the card agent, whom to
call; it offers the portal's own reader only where it is on (issue #15)."""

import io
import zipfile

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_the_page_says_what_to_plug_in_and_whom_to_call_not_how_to_run_a_daemon(client, settings):
    settings.PORTAL_CARD_READER_MODE = False
    page = client.get(reverse("card_login:page")).content.decode()
    assert "Branchez le lecteur de cartes" in page and "insérez-y votre carte CPx" in page
    assert reverse("card_login:agent_download") in page and "service informatique" in page
    assert "représentant légal" in page and "F501" in page
    script = open(finders.find("cards/card_login.js"), encoding="utf-8").read()
    for admin_words in ("python -m", "pcscd", "lancez"):
        assert admin_words not in page and admin_words not in script


def test_the_portals_own_reader_is_offered_only_where_it_is_on(client, settings):
    settings.PORTAL_CARD_READER_MODE = False
    assert 'id="card-reader-form"' not in client.get(reverse("card_login:page")).content.decode()
    response = client.post(reverse("card_login:reader"), {"pin": "1234"})
    assert response.status_code == 404
    settings.PORTAL_CARD_READER_MODE = True
    assert 'id="card-reader-form"' in client.get(reverse("card_login:page")).content.decode()


def test_the_card_agent_is_downloaded_set_for_this_portal(client, settings):
    settings.ALLOWED_HOSTS = ["portail.example"]
    response = client.get(reverse("card_login:agent_download"), HTTP_HOST="portail.example")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"agent-de-carte/cards/agent.py", "agent-de-carte/cards/reader.py", "agent-de-carte/cards/apdu.py"} <= names
    readme = archive.read("agent-de-carte/LISEZMOI.txt").decode()
    assert "python -m cards.agent --origin http://portail.example" in readme
