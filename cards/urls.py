from django.urls import path

from . import views

app_name = "cards"
urlpatterns = [
    path("", views.fleet, name="fleet"),
    path("demandes/", views.forms_list, name="forms"),
    path("<uuid:pk>/", views.card_detail, name="card_detail"),
    path("<uuid:pk>/activer/", views.card_activate, name="activate"),
    path("<uuid:pk>/opposer/", views.card_oppose, name="oppose"),
    path("<uuid:pk>/incident/", views.card_incident, name="incident"),
    path("<uuid:pk>/porteur/", views.card_update_holder, name="update_holder"),
    path("f101/nouvelle/", views.f101_new, name="f101_new"),
    path("f301/nouvelle/", views.f301_new, name="f301_new"),
    path("f502/nouvelle/", views.f502_new, name="f502_new"),
    path("f414/nouvelle/", views.f414_new, name="f414_new"),
    path("f101/<uuid:pk>/", views.form_detail, {"key": "f101"}, name="f101_detail"),
    path("f301/<uuid:pk>/", views.form_detail, {"key": "f301"}, name="f301_detail"),
    path("f502/<uuid:pk>/", views.form_detail, {"key": "f502"}, name="f502_detail"),
    path("<slug:key>/<uuid:pk>/actes/<slug:act>/", views.form_act, name="form_act"),
]
