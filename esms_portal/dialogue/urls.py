"""The dialogue's pages: a request's conversation under `demandes/<key>/<pk>/messages/`, the
notification centre on the person's space."""

from django.urls import path

from esms_portal.dialogue import views

app_name = "dialogue"

urlpatterns = [
    path("demandes/<slug:key>/<str:pk>/messages/", views.conversation, name="conversation"),
    path("demandes/<slug:key>/<str:pk>/messages/envoyer/", views.message_post, name="post"),
    path("demandes/<slug:key>/<str:pk>/messages/reponse/", views.completion_answer, name="answer"),
    path("demandes/<slug:key>/<str:pk>/messages/<int:message_pk>/pieces/<int:attachment_pk>/", views.attachment,
         name="attachment"),
    path("mon-espace/notifications/", views.notification_centre, name="notifications"),
    path("mon-espace/notifications/tout-lu/", views.notifications_read, name="notifications_read"),
    path("mon-espace/notifications/preferences/", views.preferences_page, name="preferences"),
    path("mon-espace/notifications/<int:pk>/", views.notification_open, name="notification"),
]
