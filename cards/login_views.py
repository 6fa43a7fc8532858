"""CPx card login pages: the portal's own reader (demo, kiosk) and the local card agent (workstation).

Both end in `cards.login.card_login`. In reader mode the PIN goes from the form to the card
attached to this machine; in agent mode it goes from the page to the agent on 127.0.0.1 and never
reaches the server, which only sees the certificate and the signature.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from esms_portal.auth import card_session
from esms_portal.core.bodies import json_object

from . import login as card_login_service
from . import reader
from .agent_download import agent_zip


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _page(request, *, error: str = "", status: int = 200):
    context = {
        "next": _next_url(request),
        "reader_mode": settings.PORTAL_CARD_READER_MODE,
        "agent_url": settings.PORTAL_CARD_AGENT_URL,
        "error": error,
    }
    return render(request, "cards/login.html", context, status=status)


@require_GET
def login_page(request):
    return _page(request)


@require_POST
def login_with_reader(request):
    """The card is in this machine's reader: challenge, PIN and signature in one request."""
    if not settings.PORTAL_CARD_READER_MODE:
        return _page(request, error="La lecture de carte sur le serveur n'est pas activée : utilisez l'agent de carte.",
                     status=404)
    challenge = card_login_service.challenge_issue(request)
    try:
        signed = reader.sign_challenge(challenge.to_sign, request.POST.get("pin", ""),
                                       reader=settings.PORTAL_CARD_READER or None,
                                       timeout=settings.PORTAL_CARD_WAIT_SECONDS)
        card = card_login_service.card_login(
            request, nonce=challenge.nonce, certificate_der=signed.certificate_der, signature=signed.signature,
            mode=card_login_service.MODE_READER, presence=card_login_service.reader_presence(signed.presence),
        )
    except (reader.CardError, card_login_service.CardLoginRefused) as refusal:
        # A reader or card problem is not a refusal: each failure answers its own status.
        request.session.pop(card_login_service.SESSION_CHALLENGE, None)
        return _page(request, error=refusal.message, status=refusal.status)
    messages.success(request, f"Connecté avec la carte {card.family} n° {card.national_id}.")
    return redirect(_next_url(request))


@require_GET
def agent_download(request):
    """The card agent for the gestionnaire's workstation, set for this portal's address."""
    response = HttpResponse(agent_zip(card_login_service.request_origin(request)), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="agent-de-carte.zip"'
    return response


@require_POST
def challenge(request):
    """Agent mode, step 1: a challenge for the page to hand to the agent."""
    return JsonResponse(card_login_service.challenge_issue(request).as_json())


@require_POST
def login_with_agent(request):
    """Agent mode, step 2: the page posts what the card signed (certificate, signature)."""
    try:
        data = json_object(request.body)
        card = card_login_service.card_login(
            request, nonce=data.get("nonce", ""),
            certificate_der=card_login_service.decode_b64(data.get("certificate", ""), "Certificat"),
            signature=card_login_service.decode_b64(data.get("signature", ""), "Signature"),
            mode=card_login_service.MODE_AGENT,
        )
    except ValueError:
        return JsonResponse({"code": "invalid", "message": "Requête illisible."}, status=400)
    except card_login_service.CardLoginRefused as refusal:
        return JsonResponse({"code": refusal.code, "message": refusal.message}, status=refusal.status)
    messages.success(request, f"Connecté avec la carte {card.family} n° {card.national_id}.")
    return JsonResponse({
        "redirect": _next_url(request),
        "removal_token": card_login_service.removal_token(request),
        "removal_url": request.build_absolute_uri(reverse("card_login:agent_removed")),
    })


@require_POST
def end(request):
    """Ends the card-authenticated state, keeping the plain session (the page saw the card leave)."""
    card_session.end_card_session(request)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"card_authenticated": False})
    messages.info(request, "Session carte terminée : les actes qui demandent la carte ne sont plus possibles.")
    return redirect(_next_url(request))


@csrf_exempt
@require_POST
def agent_removed(request):
    """The agent saw the card leave its reader: its signed token names the session to downgrade."""
    try:
        token = json_object(request.body).get("token", "")
    except ValueError:
        token = ""
    ended = card_login_service.end_card_login_by_token(token)
    return JsonResponse({"ended": ended})


@require_GET
def state(request):
    user = request.user
    return JsonResponse({"card_authenticated": bool(getattr(user, "card_authenticated", False))})
