"""The webhooks' pages (namespace `webhooks`, on the organisation's space) and REST routes."""

from django.urls import include, path

from esms_portal.webhooks import api, services, views

pages = [
    path("", views.subscription_list, name="list"),
    path("<int:subscription_pk>/", views.subscription_detail, name="detail"),
    path("<int:subscription_pk>/suspendre/", views.subscription_pause, name="pause"),
    path("<int:subscription_pk>/reactiver/", views.subscription_resume, name="resume"),
    path("<int:subscription_pk>/supprimer/", views.subscription_delete, name="delete"),
    path("<int:subscription_pk>/nouveau-secret/", views.subscription_rotate_secret, name="rotate_secret"),
]
api_v1 = [
    path("", api.WebhookListApi.as_view(), name="api-webhook-list"),
    path("events/", api.WebhookEventListApi.as_view(), name="api-webhook-events"),
    path("<int:pk>/", api.WebhookDetailApi.as_view(), name="api-webhook-detail"),
    path("<int:pk>/pause/", api.WebhookActApi.as_view(
        service=services.webhook_pause, summary="Suspendre un abonnement",
    ), name="api-webhook-pause"),
    path("<int:pk>/resume/", api.WebhookActApi.as_view(
        service=services.webhook_resume, summary="Réactiver un abonnement (les événements en attente partent)",
    ), name="api-webhook-resume"),
    path("<int:pk>/rotate-secret/", api.WebhookRotateSecretApi.as_view(), name="api-webhook-rotate-secret"),
    path("<int:pk>/deliveries/", api.WebhookDeliveryListApi.as_view(), name="api-webhook-deliveries"),
]
urlpatterns = [
    path("organisations/<uuid:pk>/webhooks/", include((pages, "webhooks"))),
    path("api/v1/webhooks/", include(api_v1)),
]
