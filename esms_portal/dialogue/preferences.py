"""How each person wants to be told, per kind of notification: at once or in a daily digest."""

from esms_portal.models import Delivery, NotificationKind, NotificationPreference

KINDS = NotificationKind.choices
DELIVERIES = Delivery.choices


def of(user) -> dict[str, str]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, Delivery.IMMEDIATE) for kind, _ in KINDS}


def save(user, choices: dict[str, str]) -> None:
    for kind, _ in KINDS:
        if kind in choices:
            NotificationPreference.objects.update_or_create(user=user, kind=kind,
                                                            defaults={"delivery": choices[kind]})
