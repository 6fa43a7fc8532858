"""Bases of the apps' REST views (esms_portal.core.api holds the conventions DRF's settings import).

`ActApi`: a view that performs one act on one object (STYLE.md 9). Its OpenAPI description is read
from its attributes, so that one view class serves several acts through a route table
(`as_view(service=..., summary=...)`) or is subclassed per act without an `@extend_schema` of its own.
"""

from drf_spectacular.openapi import AutoSchema
from rest_framework.views import APIView


class ActSchema(AutoSchema):
    def get_summary(self):
        return self.view.summary or None

    def get_description(self):
        return self.view.doc or super().get_description()

    def get_tags(self):
        return list(self.view.tags)

    def get_request_serializer(self):
        return self.view.InputSerializer

    def get_response_serializers(self):
        return self.view.OutputSerializer


class ActApi(APIView):
    service = None  # staticmethod: the act's service function
    InputSerializer = None  # the body: the service's arguments besides the actor and the object; None for none
    OutputSerializer = None  # the answer
    summary = ""  # French, one line
    doc = ""  # the description when not the view's docstring
    tags: tuple[str, ...] = ()
    schema = ActSchema()


class FileAnswerMixin:
    """A view that answers a file (PDF, PKCS#12, certificate chain) whatever the client accepts;
    its errors are JSON all the same."""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)
