"""The baseline of bench/http_load.py: the smallest Django application, one view answering "hello",
served by the same gunicorn with the same settings file (gunicorn.conf.py) as the portal."""

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-hello-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)


def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("hello", hello)]
django.setup()
application = get_wsgi_application()
