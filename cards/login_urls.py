from django.urls import path

from . import login_views

app_name = "card_login"

urlpatterns = [
    path("", login_views.login_page, name="page"),
    path("lecteur/", login_views.login_with_reader, name="reader"),
    path("defi/", login_views.challenge, name="challenge"),
    path("agent/", login_views.login_with_agent, name="agent"),
    path("fin/", login_views.end, name="end"),
    path("retrait/", login_views.agent_removed, name="agent_removed"),
    path("etat/", login_views.state, name="state"),
]
