"""The API token endpoint: a program exchanges email and password for a token (esms_portal/auth/tokens.py)."""

from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from esms_portal.core.client import client_address
from esms_portal.core.errors import ActNotAllowed, InvalidInput

from . import lockout
from .tokens import TOKEN_ENDPOINT_LABEL, api_token_create


class TokenObtainThrottle(AnonRateThrottle):
    rate = "20/min"

    def get_ident(self, request):
        return client_address(request)  # the proxy's hop, never a header the client wrote


class TokenObtainApi(APIView):
    """Exchange email and password for a new token of the account (header `Authorization: Token <key>`).

    Each call creates a token, valid until `expires_at` (90 days by default); the account keeps its 20
    most recent ones. Wrong passwords count with the login page's: too many lock the login out (429
    `too_many_attempts`). ANS agents get their tokens on the portal's API page, after their second factor."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenObtainThrottle]

    @extend_schema_serializer(component_name="TokenObtainInput")
    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    @extend_schema_serializer(component_name="Token")
    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()
        expires_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, tags=["authentification"], summary="Obtenir un jeton d'accès à l'API",
                   responses={
        200: OutputSerializer,
        400: OpenApiResponse(description="`invalid_credentials` (adresse ou mot de passe incorrect), `invalid`."),
        403: OpenApiResponse(description="`second_factor_required` : un agent de l'ANS obtient son jeton sur le "
                                         "portail, après son code à usage unique."),
        429: OpenApiResponse(description="`too_many_attempts` (connexion bloquée après des mots de passe "
                                         "erronés) ou `throttled` (trop de requêtes)."),
    })
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The Django request: axes counts this failure with the login page's (esms_portal/auth/lockout.py).
        user = authenticate(request._request, email=data.validated_data["email"],
                            password=data.validated_data["password"])
        if getattr(request._request, "axes_locked_out", False):
            raise lockout.LoginLockedOut(lockout.lockout_message(request._request))
        if user is None:
            # 400 rather than 401: this endpoint takes no credentials header to challenge.
            raise InvalidInput("Adresse électronique ou mot de passe incorrect.", code="invalid_credentials")
        if user.is_staff and settings.PORTAL_STAFF_2FA:
            # A password alone must not open an agent's API: his token is on /compte/api/, after the code.
            raise ActNotAllowed(
                "Les agents de l'ANS obtiennent leur jeton sur la page « API » du portail, après la connexion "
                "avec leur code à usage unique.", code="second_factor_required",
            )
        token, key = api_token_create(user=user, label=TOKEN_ENDPOINT_LABEL)
        return Response(self.OutputSerializer({"token": key, "expires_at": token.expires_at}).data)
