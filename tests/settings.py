"""Test settings: the portal's own settings plus a test-only app that exercises the kernel."""

from esms_portal.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.kernel_app"]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never in production
# Tests log in with passwords; the card-login tests turn this back on where they prove it.
PORTAL_CARD_LOGIN_REQUIRED = False
# Tests log agents in with force_login or a password; tests/kernel/test_two_factor.py turns it on.
PORTAL_STAFF_2FA = False
# Each test's data is rolled back without a commit, so no signal would forget a cached public page:
# tests/scale/test_public_cache.py turns the anonymous cache on where it proves it.
PORTAL_PUBLIC_CACHE_SECONDS = 0
# Same for the header's notification counts (tests/dialogue/test_header_counts_cache.py turns them on).
PORTAL_HEADER_COUNTS_SECONDS = 0
# The same for a person's pages: tests/scale/test_page_cache.py turns it on where it proves it.
PORTAL_PAGE_CACHE_SECONDS = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A commit need not wait for the disk's flush in tests (1 ms instead of 8-10 here): nothing asserts
    # durability across a crash of PostgreSQL. Every commit gains: transaction=True tests and their
    # flushes, live servers, the fault tests' workers (which run on these settings), the migrations.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
