"""The organizers' export of signers' contact details: a tar of age files that only the holders
of the coalition's private keys can open, with the standard `age` tool, on their own machines.

The server cannot make one readable file of them: most were sealed when an organizer decided
and the server has no key to open them again. So each sign-on is its own age file, and the
README inside says the one command that joins them into a CSV.
"""

import io
import tarfile
import time

from .encryption import seal

COLUMNS = "signature,statement,organization,name,role,email,status,sealed on"

README = f"""Contact details of organizations' sign-ons, encrypted with age for the coalition's
organizers' keys. Each contacts/<signature>.age file holds one CSV line. To read them all,
on your own machine, with your age identity file (age-keygen made it):

  tar -xf contacts.tar
  (echo "{COLUMNS}"; for f in contacts/*.age; do age -d -i key.txt "$f"; done) > contacts.csv

contacts.csv is then in clear on your machine: delete it when you are done.
"""


def sealed_line(signon) -> bytes | None:
    """The sign-on's sealed contact details; sealed now if the server still holds them in
    its own encryption (a sign-on not yet decided). None when there are none."""
    if signon.sealed_contact is not None:
        return bytes(signon.sealed_contact)
    if not (signon.contact_name or signon.contact_role or signon.contact_email):
        return None
    return seal(signon.contact_line(), signon.statement.coalition.contact_recipients())


def export(signons) -> bytes:
    """A tar archive: README.txt and contacts/<signature>.age for each sign-on with details."""
    out = io.BytesIO()
    now = time.time()
    with tarfile.open(fileobj=out, mode="w") as tar:

        def add(name: str, data: bytes) -> None:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), now, 0o600
            tar.addfile(info, io.BytesIO(data))

        add("README.txt", README.encode())
        for signon in signons:
            sealed = sealed_line(signon)
            if sealed is not None:
                add(f"contacts/{signon.pk}.age", sealed)
    return out.getvalue()
