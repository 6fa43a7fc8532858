"""Back office of ANS agents: every app's instruction pages plug in here."""

app_name = "backoffice"
urlpatterns = []
