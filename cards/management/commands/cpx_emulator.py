"""Insert a virtual CPx card produced by the portal into a vpcd reader, or remove it.

    python manage.py cpx_emulator list
    python manage.py cpx_emulator insert <national id | card id | holder email> [--port 35963]
    python manage.py cpx_emulator remove [--port 35963]

`insert` stays in the foreground while the card is in the reader (Ctrl-C or `remove` takes it
out). Its PIN counter is the portal's: a card blocked here stays blocked at the next insertion.
"""

import os
import signal
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from cards.emulator import DEFAULT_HOST, Emulator, virtual_card_for
from cards.models import Card


def _pidfile(port: int) -> Path:
    return Path(settings.BASE_DIR) / "var" / "run" / f"cpx-emulator-{port}.pid"


def find_card(reference: str) -> Card:
    query = Q(national_id=reference) | Q(holder__email__iexact=reference)
    try:
        query |= Q(pk=uuid.UUID(reference))
    except ValueError:
        pass
    cards = Card.objects.select_related("organisation", "holder").exclude(certificate_serial="")
    card = cards.filter(query).order_by("-activated_at", "-created_at").first()
    if card is None:
        raise CommandError(f"Aucune carte fabriquée ne correspond à « {reference} » (voir `cpx_emulator list`).")
    return card


class Command(BaseCommand):
    help = "Émulateur de carte CPx pour le lecteur virtuel vpcd : insérer ou retirer une carte."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["insert", "remove", "list"])
        parser.add_argument("card", nargs="?", help="identifiant national, identifiant de carte ou e-mail du porteur")
        parser.add_argument("--host", default=os.environ.get("PORTAL_VPCD_HOST", DEFAULT_HOST))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORTAL_VPCD_PORT", "35963")))

    def handle(self, action, card=None, host=DEFAULT_HOST, port=35963, **options):
        if action == "list":
            return self._list()
        if action == "remove":
            return self._remove(port)
        if not card:
            raise CommandError("Indiquez la carte à insérer.")
        return self._insert(find_card(card), host, port)

    def _list(self):
        for card in Card.objects.exclude(certificate_serial="").select_related("holder"):
            self.stdout.write(f"{card.national_id}\t{card.family}\t{card.get_state_display()}\t"
                              f"{card.holder_name} <{card.holder.email}>")

    def _remove(self, port: int):
        pidfile = _pidfile(port)
        try:
            pid = int(pidfile.read_text())
            os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError):
            raise CommandError(f"Aucune carte virtuelle insérée dans le lecteur du port {port}.") from None
        self.stdout.write(f"Carte retirée du lecteur (port {port}).")

    def _insert(self, card: Card, host: str, port: int):
        emulator = Emulator(virtual_card_for(card), host=host, port=port)
        try:
            emulator.insert(background=True)
        except OSError as error:
            raise CommandError(f"Lecteur virtuel injoignable sur {host}:{port} ({error}) : pcscd et vpcd "
                               "sont-ils démarrés ?") from None
        pidfile = _pidfile(port)
        pidfile.parent.mkdir(parents=True, exist_ok=True)
        pidfile.write_text(str(os.getpid()))
        done = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: done.set())
        self.stdout.write(f"Carte {card.family} {card.national_id} ({card.holder_name}) insérée dans le "
                          f"lecteur virtuel du port {port}. Ctrl-C ou `cpx_emulator remove` pour la retirer.")
        try:
            while not done.wait(0.5):
                if emulator._thread is None or not emulator._thread.is_alive():
                    self.stderr.write("Le lecteur virtuel a fermé la connexion.")
                    break
        finally:
            emulator.remove()
            if pidfile.exists() and pidfile.read_text() == str(os.getpid()):
                pidfile.unlink()
        self.stdout.write("Carte retirée.")
