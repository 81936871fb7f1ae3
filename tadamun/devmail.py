"""The development mailbox: without EMAIL_HOST, messages are files under DATA_DIR/mail, readable
by the site's account only and erased after MAIL_FILE_HOURS. Production refuses it (the
files would keep every signer's address and link on the server's disk)."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend as FileBackend


def erase_old(folder: Path | None = None, hours: int | None = None) -> int:
    """Erase message files older than `hours`; how many were erased."""
    folder = Path(folder or settings.EMAIL_FILE_PATH)
    hours = settings.MAIL_FILE_HOURS if hours is None else hours
    cutoff = time.time() - hours * 3600
    erased = 0
    for path in folder.glob("*.log") if folder.is_dir() else []:
        try:
            if path.stat().st_mtime <= cutoff:
                path.unlink()
                erased += 1
        except FileNotFoundError:
            pass  # another process erased it first
    return erased


class EmailBackend(FileBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        os.chmod(self.file_path, 0o700)

    def open(self):
        opened = super().open()
        if opened:
            # Whatever the umask of the process that sends (a shell, a test runner).
            os.fchmod(self.stream.fileno(), 0o600)
        return opened

    def send_messages(self, email_messages):
        erase_old(Path(self.file_path))
        return super().send_messages(email_messages)
