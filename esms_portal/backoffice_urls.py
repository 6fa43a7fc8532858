"""Back office of ANS agents: every app's instruction pages plug in here."""

from django.urls import path

from .steps import views as steps_views

app_name = "backoffice"
urlpatterns = [
    path("etapes/", steps_views.steps_board, name="steps_board"),
    path("etapes/<int:pk>/relancer/", steps_views.step_retry, name="step_retry"),
]
