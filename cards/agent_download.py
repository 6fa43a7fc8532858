"""The card agent as the gestionnaire's IT service installs it: a zip of the three modules it runs
(agent, reader, apdu: no Django) and a French read-me naming this portal's address."""

import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = ("agent.py", "reader.py", "apdu.py")

README = """Agent de carte du portail ESMS
==============================

L'agent de carte fait lire votre carte CPx par le lecteur branché sur votre poste, pour vous connecter
au portail. Votre code porteur ne quitte pas votre ordinateur : seule la carte le vérifie.

À installer par votre service informatique, une fois par poste :

1. Python 3.11 ou plus récent, et le service de cartes à puce du système (PC/SC : intégré à Windows et
   macOS ; sous Linux, les paquets pcscd et libccid).
2. Le pilote du lecteur de cartes s'il en demande un, puis : python -m pip install pyscard
3. Décompresser ce fichier, puis, depuis le dossier obtenu, lancer à chaque ouverture de session :

       python -m cards.agent --origin {origin}

L'agent écoute sur ce poste seulement (127.0.0.1, port 8765) et ne répond qu'aux pages du portail.
"""


def agent_zip(origin: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("agent-de-carte/LISEZMOI.txt", README.format(origin=origin))
        archive.writestr("agent-de-carte/cards/__init__.py", "")
        for name in MODULES:
            archive.write(HERE / name, f"agent-de-carte/cards/{name}")
    return buffer.getvalue()
