from django.urls import path

from . import views

app_name = "structures"
urlpatterns = [
    path("<uuid:pk>/", views.structure_detail, name="detail"),
]
