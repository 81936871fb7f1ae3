"""The seizure test (issue 16): what a raid, a subpoena to the host or a leaked backup gives.

After a realistic run on the production server and worker (sign-ons confirmed, approved,
rejected, withdrawn and waiting; pledges with and without updates, a work address, an
unsubscription; a strike-day notice sent; a rate limit hit; housekeeping; a backup), the test
copies the data directory, the database files (SQLite: the file, its WAL and free pages;
PostgreSQL: an attacker's pg_dump and the cluster's data directory) and the backup. Holding
only those copies, it greps every byte for every contact name, address, role and client
address used, tests known addresses against the fingerprints, and tries to recover a client
address from the log tags: all fail. Then, with the keys, it reads exactly what
docs/threat-model.md says each key holder can read, so the test cannot pass by reading
nothing.
"""

import base64
import contextlib
import hashlib
import hmac
import os
import quopri
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyrage
import pytest
from django.conf import settings
from django.db import connection

from tadamun.record.management.commands.backup import pg_url
from tadamun.signatures import addresses
from tadamun.signatures.encryption import decrypt
from tadamun.signatures.models import Notice, SignOn
from tadamun.statements.models import Statement
from tests.conftest import Browserless
from tests.factories import make_statement, with_categories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PUBLIC_NAME = "Seizure Alpha Collective"  # a named organization: public, so it must be found

SIGNONS = {
    # key: (organization, contact name, role, address, client address, what happens)
    "approved": (
        "Seizure Alpha Collective",
        "Layla Qasimi",
        "Finance Officer",
        "layla.q@alpha-seizure.org",
        "198.51.100.11",
    ),
    "withdrawn": (
        "Hidden Beta Network",
        "Omar Haddad",
        "Field Coordinator",
        "omar.h@beta-seizure.org",
        "198.51.100.12",
    ),
    "rejected": (
        "Gamma Seizure Group",
        "Rasha Kanaan",
        "Board Secretary",
        "rasha.k@gamma-seizure.org",
        "198.51.100.13",
    ),
    "pending": (
        "Delta Seizure Union",
        "Yusuf Darwish",
        "Logistics Lead",
        "yusuf.d@delta-seizure.org",
        "2001:db8:77::14",
    ),
    "unconfirmed": (
        "Epsilon Seizure Aid",
        "Hiba Sabbagh",
        "Outreach Manager",
        "hiba.s@epsilon-seizure.org",
        "198.51.100.15",
    ),
}
ARABIC_CONTACT = ("منظمة زيتا للمصادرة", "سلمى العطار", "منسقة الإغاثة", "salma.a@zeta-seizure.org")
PLEDGES = {
    # key: (address, work address, wants updates, client address)
    "quiet": ("nour.seizure@gmail.com", "", False, "203.0.113.21"),
    "updates": ("sami.seizure@proton.me", "", True, "203.0.113.22"),
    "work": ("dana.seizure@example.net", "dana@unagency-seizure.org", False, "203.0.113.23"),
    "unsubscribed": ("karim.seizure@example.com", "", True, "203.0.113.24"),
    "unconfirmed": ("lina.seizure@example.org", "", False, "203.0.113.25"),
}
LIMITED_CLIENT = "192.0.2.99"


def link(message, part: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    url = next(u for u in re.findall(r"https?://\S+", text) if part in u)
    return "/" + url.split("/", 3)[3]


class Site:
    """gunicorn and the worker as `make run` starts them, logging into the data directory."""

    def __init__(self, env: dict, data: Path):
        self.env, self.data, self.processes = env, data, []

    def start(self) -> str:
        from tests.conftest import free_port

        port = free_port()
        self.env.update(HOST="127.0.0.1", PORT=str(port), WEB_WORKERS="1", BEHIND_PROXY="1")
        logs = self.data / "logs"
        logs.mkdir(exist_ok=True)
        commands = {
            "server": [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            "worker": [sys.executable, "manage.py", "worker", "--interval", "0.2"],
        }
        for name, command in commands.items():
            with open(logs / f"{name}.log", "ab") as log:
                self.processes.append(
                    subprocess.Popen(
                        command,
                        cwd=settings.BASE_DIR,
                        env=self.env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if Browserless(url).get("/healthz")[0] == 200:
                    return url
            time.sleep(0.1)
        raise RuntimeError((logs / "server.log").read_text()[-3000:])

    def stop(self) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            process.wait(timeout=20)

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


def wait_until(check, what: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def realistic_run(site: Site, url: str, smtp, statement: Statement, category) -> None:
    slug = statement.slug
    for key, (organization, name, role, address, client_ip) in SIGNONS.items():
        status, _body, _h = Browserless(url, client_ip).post_form(
            f"/en/statements/{slug}/sign/",
            {
                "name_en": organization,
                "country": "Syria",
                "contact_name": name,
                "contact_email": address,
                "contact_role": role,
                "listing": "counted" if key == "withdrawn" else "named",
                "consent": "on",
            },
        )
        assert status == 302, key
    organization, name, role, address = ARABIC_CONTACT
    Browserless(url, "198.51.100.16").post_form(
        f"/ar/statements/{slug}/sign/",
        {
            "name_ar": organization,
            "country": "سوريا",
            "contact_name": name,
            "contact_email": address,
            "contact_role": role,
            "listing": "named",
            "consent": "on",
        },
    )
    for key, (address, work, updates, client_ip) in PLEDGES.items():
        form = {"email": address, "category": category.pk, "appearance": "category"}
        form.update({"work_email": work} if work else {})
        form.update({"wants_updates": "on", "joins_strike": "on"} if updates else {})
        status, _body, _h = Browserless(url, client_ip).post_form(
            f"/en/statements/{slug}/join/", form
        )
        assert status == 302, key

    def mail_to(address: str, count: int = 1):
        return wait_until(lambda: smtp.to(address)[count - 1 :] and smtp.to(address), address)

    # Every signer but the unconfirmed ones follows the link in the message.
    for key, (_o, _n, _r, address, client_ip) in SIGNONS.items():
        if key != "unconfirmed":
            path = link(mail_to(address)[0], "/confirm/")
            assert Browserless(url, client_ip).post_form(path, {})[0] == 200
    address = ARABIC_CONTACT[3]
    assert (
        Browserless(url, "198.51.100.16").post_form(link(mail_to(address)[0], "/confirm/"), {})[0]
        == 200
    )
    for key, (address, work, _updates, client_ip) in PLEDGES.items():
        if key != "unconfirmed":
            path = link(mail_to(address)[0], "/pledge/confirm/")
            assert Browserless(url, client_ip).post_form(path, {})[0] == 200
        if work:
            path = link(mail_to(work)[0], "/pledge/work/")
            assert Browserless(url, client_ip).post_form(path, {})[0] == 200

    # Organizers decide (the moderation screen calls these).
    by_key = {k: SignOn.objects.with_address(statement, v[3]).get() for k, v in SIGNONS.items()}
    arabic = SignOn.objects.with_address(statement, ARABIC_CONTACT[3]).get()
    for signon in (by_key["approved"], by_key["withdrawn"], arabic):
        signon.approve()
    by_key["rejected"].reject(reason="We could not verify this organization.")
    mail_to(SIGNONS["rejected"][3], 2)
    mail_to(SIGNONS["approved"][3], 2)
    withdraw = link(mail_to(SIGNONS["withdrawn"][3], 2)[-1], "/withdraw/")
    assert Browserless(url, SIGNONS["withdrawn"][4]).post_form(withdraw, {})[0] == 200
    unsubscribe = link(mail_to(PLEDGES["unsubscribed"][0])[0], "/pledge/unsubscribe/")
    assert Browserless(url, PLEDGES["unsubscribed"][3]).post_form(unsubscribe, {})[0] == 200

    # The strike-day notice goes to signatories and to pledgers who asked for updates.
    Notice.objects.create(statement=statement, kind=Notice.Kind.STRIKE).start()
    mail_to(SIGNONS["approved"][3], 3)
    mail_to(PLEDGES["updates"][0], 2)
    wait_until(lambda: Notice.objects.filter(finished_at__isnull=False).exists(), "the notice")

    # Someone hammers the resend form: the limit answers, the log keeps a tag.
    for _ in range(4):
        Browserless(url, LIMITED_CLIENT).post_form(
            f"/en/statements/{slug}/sign/resend/", {"email": "nobody@example.org"}
        )
    wait_until(
        lambda: "rate limit resend reached" in (site.data / "logs" / "server.log").read_text(),
        "the rate-limit log line",
    )
    # The rejection message has gone, so its address is forgotten (worker, after sending).
    wait_until(
        lambda: (
            not SignOn.objects.filter(pk=by_key["rejected"].pk).exclude(contact_email="").exists()
        ),
        "the rejected address to be erased",
    )
    # Housekeeping as the worker runs it every hour.
    site.manage(
        "shell",
        "-c",
        "from tadamun.signatures.housekeeping import housekeeping; housekeeping.call()",
    )


def copy_database(seized: Path) -> None:
    """What the attacker copies of the database itself."""
    target = seized / "database"
    target.mkdir()
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm", "-journal"):
            source = Path(f"{name}{suffix}")
            if source.exists():
                shutil.copyfile(source, target / source.name)
        return
    import psycopg

    admin = pg_url(connection.settings_dict, "postgres")
    with psycopg.connect(admin, autocommit=True) as pg:
        pg.execute("CHECKPOINT")
        data_directory = pg.execute("SHOW data_directory").fetchone()[0]
        oid = pg.execute(
            "SELECT oid FROM pg_database WHERE datname = %s", [connection.settings_dict["NAME"]]
        ).fetchone()[0]
    shutil.copytree(Path(data_directory) / "base" / str(oid), target / "base")
    shutil.copytree(
        Path(data_directory) / "pg_wal",
        target / "pg_wal",
        ignore=shutil.ignore_patterns("archive_status"),
    )
    dump = subprocess.run(
        ["pg_dump", "--format=plain", "--no-owner", "--dbname", pg_url(connection.settings_dict)],
        capture_output=True,
        check=True,
    )
    (seized / "attacker.sql").write_bytes(dump.stdout)


def every_byte(folder: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def variants(secret: str) -> set[bytes]:
    """The ways a value may lie in a file: as written, lower case, UTF-16, base64 at each
    alignment (mail bodies, JSON), quoted-printable."""
    found = set()
    for text in {secret, secret.lower()}:
        raw = text.encode()
        found |= {raw, text.encode("utf-16-le"), quopri.encodestring(raw).strip()}
        for pad in range(3):
            encoded = base64.b64encode(b"\0" * pad + raw)[4 if pad else 0 :]
            found.add(encoded[: len(encoded) - 4])
    return {v for v in found if len(v) >= 6}


def leaked(data: bytes, secrets: list[str]) -> list[str]:
    return [s for s in secrets if any(v in data for v in variants(s))]


def seized_rows(seized: Path, table: str) -> list[dict]:
    """Rows of `table` as the attacker reads them from the copy."""
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"]).name
        db = sqlite3.connect(seized / "database" / name)
        db.row_factory = sqlite3.Row
        rows = [dict(r) for r in db.execute(f"SELECT * FROM {table}")]  # noqa: S608
        db.close()
        return rows
    dump = (seized / "attacker.sql").read_text()
    found = re.search(rf"COPY public\.{table} \(([^)]*)\) FROM stdin;\n(.*?)\n\\\.\n", dump, re.S)
    if not found:
        return []
    columns = [c.strip().strip('"') for c in found.group(1).split(",")]
    rows = []
    for line in found.group(2).split("\n"):
        values = [None if v == r"\N" else v for v in line.split("\t")]
        row = dict(zip(columns, values))
        if row.get("sealed_contact"):
            row["sealed_contact"] = bytes.fromhex(row["sealed_contact"].removeprefix(r"\\x"))
        rows.append(row)
    return rows


def attacker_fingerprints(address: str, salts: list[str], candidate_keys: list[str]) -> set[str]:
    """Every fingerprint an attacker holding `candidate_keys` could compute for `address`:
    this version's scheme, the earlier one (SECRET_KEY, no salt), plain hashes."""
    normalized = addresses.normalize(address)
    found = {hashlib.sha256(v.encode()).hexdigest() for v in (address, normalized)}
    for key in candidate_keys:
        for purpose in ("pledge", "contact", "email"):
            derived = hashlib.sha256(f"tadamun.{purpose}:{key}".encode()).digest()
            found.add(hmac.new(derived, normalized.encode(), hashlib.sha256).hexdigest())
            for salt in salts:
                message = f"{salt}:{normalized}".encode()
                found.add(hmac.new(derived, message, hashlib.sha256).hexdigest())
    return found


def test_a_seized_data_directory_and_backup_give_away_no_signer(
    smtp, process_env, tmp_path, settings
):
    statement = make_statement(strike_day=True)
    category = with_categories(statement)[0]
    data = Path(process_env["DATA_DIR"])
    backup_identity = pyrage.x25519.Identity.generate()
    env = {
        **process_env,
        "RATE_LIMIT_RESEND_CLIENT": "2/h",
        "RATE_LIMIT_FORM_CLIENT": "1000/h",
        "RATE_LIMIT_LINK_CLIENT": "1000/h",
        "BACKUP_RECIPIENTS": str(backup_identity.to_public()),
    }
    site = Site(env, data)
    url = site.start()
    try:
        realistic_run(site, url, smtp, statement, category)
        (data / "backups").mkdir()
        site.manage("backup", str(data / "backups" / "tadamun.age"))
        seized = tmp_path.parent / f"{tmp_path.name}-seized"
        shutil.copytree(data, seized / "data_dir")
        copy_database(seized)
    finally:
        site.stop()
    assert (data / "backups" / "tadamun.age").stat().st_mode & 0o077 == 0

    everything = every_byte(seized)
    contacts = [v for entry in SIGNONS.values() for v in entry[1:4]] + list(ARABIC_CONTACT[1:])
    pledgers = [v for entry in PLEDGES.values() for v in entry[:2] if v]
    clients = [entry[4] for entry in SIGNONS.values()] + [e[3] for e in PLEDGES.values()]
    clients += ["198.51.100.16", LIMITED_CLIENT]
    # The grep reaches the database's contents: the public name of a named organization
    # is there, in clear.
    assert leaked(everything, [PUBLIC_NAME]) == [PUBLIC_NAME]
    if connection.vendor == "postgresql":
        assert leaked(every_byte(seized / "database" / "base"), [PUBLIC_NAME])
    assert leaked(everything, contacts + pledgers + clients) == []

    # Fingerprints: an attacker who also has SECRET_KEY (it sits in DATA_DIR on a laptop)
    # cannot tell whether a known address pledged or signed.
    pledges = seized_rows(seized, "signatures_pledge")
    signons = seized_rows(seized, "signatures_signon")
    stored = {r["email_hash"] for r in pledges} | {r["contact_hash"] for r in signons}
    salts = [r["fingerprint_salt"] for r in seized_rows(seized, "statements_statement")]
    assert statement.fingerprint_salt in salts
    on_disk = [
        p.read_text(errors="ignore").strip()
        for p in (seized / "data_dir").rglob("*")
        if p.is_file() and p.stat().st_size < 200
    ]
    attacker_keys = [settings.SECRET_KEY, "", *on_disk]
    for address in pledgers + [v[3] for v in SIGNONS.values()]:
        assert not attacker_fingerprints(address, salts, attacker_keys) & stored, address

    # Client addresses: the log tells clients apart, but no tag leads back to an address.
    log = (seized / "data_dir" / "logs" / "server.log").read_text()
    tags = set(re.findall(r"by client ([0-9a-f]{12})", log))
    assert tags, "the rate limit left no tag in the log to attack"
    for key in [*attacker_keys, settings.FINGERPRINT_KEY, settings.CONTACT_KEY]:
        for ip in clients:
            for purpose in ("client", "tag", "limit"):
                derived = hashlib.sha256(f"tadamun.{purpose}:{key}".encode()).digest()
                for candidate in (
                    hmac.new(derived, ip.encode(), hashlib.sha256).hexdigest(),
                    hmac.new(key.encode(), f"{purpose}:{ip}".encode(), hashlib.sha256).hexdigest(),
                    hashlib.sha256(ip.encode()).hexdigest(),
                ):
                    assert candidate[:12] not in tags, ip

    # The backup is age-encrypted: nothing to read without a private key.
    backup = (seized / "data_dir" / "backups" / "tadamun.age").read_bytes()
    assert backup.startswith(b"age-encryption.org/v1")
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(backup, [pyrage.x25519.Identity.generate()])

    # ---- With the keys: exactly what docs/threat-model.md says, no less and no more. ----
    # The backup key opens the backup, where contact details are still encrypted.
    snapshot = pyrage.decrypt(backup, [backup_identity])
    if connection.vendor == "postgresql":
        snapshot = subprocess.run(
            ["pg_restore", "-f", "-"], input=snapshot, capture_output=True, check=True
        ).stdout
    assert leaked(snapshot, [PUBLIC_NAME]) == [PUBLIC_NAME]
    assert leaked(snapshot, contacts + pledgers + clients) == []

    # The fingerprint key tests an address on its own statement (and the salt keeps it there).
    for address, _work, _updates, _ip in PLEDGES.values():
        assert addresses.fingerprint(address, statement.fingerprint_salt) in stored
        assert addresses.fingerprint(address, "another statement's salt") not in stored

    # The contact key reads what the server still needs, and nothing it has erased.
    def server_reads(row, model, fields):
        return {f: decrypt(row[f] or "", f"signatures.{model}.{f}") for f in fields}

    contact_fields = ("contact_name", "contact_role", "contact_email")
    by_address = {}
    for row in signons:
        if row["statement_id"] is not None and int(row["statement_id"]) == statement.pk:
            readable = server_reads(row, "signon", contact_fields)
            by_address[row["contact_hash"]] = (readable, row["sealed_contact"])

    def signon_row(address):
        return by_address[addresses.fingerprint(address, statement.fingerprint_salt, "contact")]

    expected_server = {
        "approved": ("", "", SIGNONS["approved"][3]),
        "withdrawn": ("", "", ""),
        "rejected": ("", "", ""),
        "pending": SIGNONS["pending"][1:4],
        "unconfirmed": SIGNONS["unconfirmed"][1:4],
    }
    organizer = pyrage.x25519.Identity.from_str(
        next(
            line
            for line in (settings.SIGNER_KEYS.development_dir / "organizer_identity.txt")
            .read_text()
            .splitlines()
            if line.startswith("AGE-SECRET-KEY-")
        )
    )
    for key, expected in expected_server.items():
        readable, sealed = signon_row(SIGNONS[key][3])
        assert tuple(readable.values()) == tuple(expected), key
        if key in ("approved", "withdrawn", "rejected"):
            # Only the organizers' private key opens what was sealed at the decision.
            opened = pyrage.decrypt(bytes(sealed), [organizer]).decode()
            for value in SIGNONS[key][1:4]:
                assert value in opened, (key, value)
            with pytest.raises(pyrage.DecryptError):
                pyrage.decrypt(bytes(sealed), [backup_identity])
        else:
            assert sealed is None, key
    arabic_readable, arabic_sealed = signon_row(ARABIC_CONTACT[3])
    assert arabic_readable["contact_name"] == ""
    assert ARABIC_CONTACT[1] in pyrage.decrypt(bytes(arabic_sealed), [organizer]).decode()

    pledge_addresses = {
        row["email_hash"]: server_reads(row, "pledge", ("email", "work_email")) for row in pledges
    }
    expected_pledges = {
        "quiet": ("", ""),
        "updates": (PLEDGES["updates"][0], ""),
        "work": ("", ""),
        "unsubscribed": ("", ""),
        "unconfirmed": (PLEDGES["unconfirmed"][0], ""),
    }
    for key, expected in expected_pledges.items():
        fingerprint = addresses.fingerprint(PLEDGES[key][0], statement.fingerprint_salt)
        assert tuple(pledge_addresses[fingerprint].values()) == expected, key

    if connection.vendor == "sqlite":
        # Erased means erased, even for the key holder: no encrypted value anywhere in the
        # copied bytes (free pages, the WAL) decrypts to something the table says is gone.
        # (A database record runs its columns together: a token may run into the next value,
        # so every length a token can have is tried.)
        contexts = [f"signatures.signon.{f}" for f in contact_fields]
        contexts += ["signatures.pledge.email", "signatures.pledge.work_email"]
        still_readable = set()
        for match in set(re.findall(rb"c1\.[A-Za-z0-9_-]+={0,2}", everything)):
            for end in range(len(match), 3, -1):
                if (end - 3) % 4 in (0, 2, 3):
                    for context in contexts:
                        with contextlib.suppress(Exception):
                            still_readable.add(decrypt(match[:end].decode(), context))
        allowed = {SIGNONS["approved"][3], ARABIC_CONTACT[3]}
        allowed |= {PLEDGES["updates"][0], PLEDGES["unconfirmed"][0]}
        allowed |= set(SIGNONS["pending"][1:4]) | set(SIGNONS["unconfirmed"][1:4])
        assert still_readable & set(contacts + pledgers) == allowed
