"""API tokens: how a program authenticates (header `Authorization: Token <key>`)."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from esms_portal.core.client import client_address
from esms_portal.core.errors import ActNotAllowed, InvalidInput

from . import lockout


def api_token_for(*, user) -> Token:
    """The user's API token, created on first use (one token per user)."""
    token, _ = Token.objects.get_or_create(user=user)
    return token


def api_token_renew(*, user) -> Token:
    """Replace the user's token: the previous one stops working at once."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


class TokenObtainThrottle(AnonRateThrottle):
    rate = "20/min"

    def get_ident(self, request):
        return client_address(request)  # the proxy's hop, never a header the client wrote


class TokenObtainApi(APIView):
    """Exchange email and password for the account's token (header `Authorization: Token <key>`)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenObtainThrottle]

    @extend_schema_serializer(component_name="TokenObtainInput")
    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    @extend_schema_serializer(component_name="Token")
    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField(source="key")

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer}, tags=["authentification"])
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
        return Response(self.OutputSerializer(api_token_for(user=user)).data)
