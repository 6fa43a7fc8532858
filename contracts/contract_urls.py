from django.urls import path

from . import contract_views as views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_home, name="home"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/modifier/", views.contract_edit, name="edit"),
    path("<int:pk>/actes/<slug:act>/", views.contract_act, name="act"),
    path("<int:pk>/messages/", views.contract_message, name="message"),
    path("<int:pk>/justificatif/", views.contract_proof, name="proof"),
]
