"""The header's notification counts kept in the shared cache per user, forgotten after the commit of
every write to them (esms_portal.dialogue.notifications.unread_summary)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from esms_portal.dialogue.notifications import close_to_do, mark_read, unread_summary
from esms_portal.dialogue.services import message_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _counts_cached(settings):
    settings.PORTAL_HEADER_COUNTS_SECONDS = 300
    cache.clear()  # user ids come back from one test database to the next
    yield
    cache.clear()


def test_the_counts_are_read_once_then_from_the_cache(f999_completion, alice, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert unread_summary(alice) == {"unread": 1, "to_do": 1}
    with django_assert_num_queries(0):
        assert unread_summary(alice) == {"unread": 1, "to_do": 1}


def test_a_new_notification_shows_after_its_commit(f999_completion, alice, ana, django_capture_on_commit_callbacks):
    unread_summary(alice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message_post(actor=ana, obj=f999_completion, body="Et aussi le RIB")
        assert unread_summary(alice) == {"unread": 1, "to_do": 1}  # not committed yet: the cached counts
    for callback in callbacks:
        callback()
    assert unread_summary(alice) == {"unread": 2, "to_do": 1}


def test_counts_read_before_a_commit_are_not_kept_after_it(f999_completion, alice, ana,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mark_read(alice)
    assert unread_summary(alice) == {"unread": 0, "to_do": 1}
    with django_capture_on_commit_callbacks(execute=True):
        close_to_do(f999_completion)
    assert unread_summary(alice) == {"unread": 0, "to_do": 0}


def test_the_header_shows_the_cached_counts(client, f999_completion, alice, django_capture_on_commit_callbacks):
    client.force_login(alice)
    assert "1 non lue" in client.get(reverse("my_space")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dialogue:notifications_read"))
    assert "notifications non lues : 0" in client.get(reverse("my_space")).content.decode()


def test_without_the_cache_the_counts_are_read_each_time(settings, f999_completion, alice, django_assert_num_queries):
    settings.PORTAL_HEADER_COUNTS_SECONDS = 0
    unread_summary(alice)
    with django_assert_num_queries(1):
        unread_summary(alice)
