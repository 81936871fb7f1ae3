"""Without EMAIL_HOST (a laptop), messages are files only the site's account can read, erased
after MAIL_FILE_HOURS."""

import os
import time

import pytest
from django.core import mail

from tadamun.signatures import retention


@pytest.fixture
def mailbox(settings, tmp_path):
    settings.EMAIL_BACKEND = "tadamun.devmail.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    settings.MAIL_FILE_HOURS = 24
    return tmp_path / "mail"


def send(to: str) -> None:
    mail.EmailMessage("Confirm your pledge", "Follow the link.", to=[to]).send()


def test_a_message_file_is_readable_by_the_sites_account_only(mailbox):
    send("nour@example.org")
    (message,) = mailbox.iterdir()
    assert "nour@example.org" in message.read_text()
    assert message.stat().st_mode & 0o777 == 0o600
    assert mailbox.stat().st_mode & 0o777 == 0o700


def test_message_files_are_erased_after_a_day_by_the_next_message_and_by_housekeeping(mailbox):
    send("first@example.org")
    (old,) = mailbox.iterdir()
    day_ago = time.time() - 24 * 3600 - 1
    os.utime(old, (day_ago, day_ago))
    send("second@example.org")
    assert not old.exists()
    (recent,) = mailbox.iterdir()
    assert "second@example.org" in recent.read_text()
    assert retention.erase_mail_files() == 0
    os.utime(recent, (day_ago, day_ago))
    assert retention.erase_mail_files() == 1
    assert list(mailbox.iterdir()) == []
