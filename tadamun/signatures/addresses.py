"""E-mail addresses reduced to one form per mailbox, and their keyed fingerprints.

A fingerprint is an HMAC-SHA256 of the normalised address under FINGERPRINT_KEY (kept outside
the data, tadamun/keys.py) and the statement's own salt: it lets the database refuse a second
pledge from one mailbox without keeping the address, it cannot be tested against a suspect's
address without the key, and the same address gives unrelated fingerprints on two
statements. It is cheap (no slow hash while a signer waits).
"""

import hashlib
import hmac
import ipaddress

from django.conf import settings
from ipware import get_client_ip

# Providers that ignore dots in the local part (Gmail delivers a.b@ and ab@ to one inbox).
DOTLESS = {"gmail.com", "googlemail.com"}
# Providers that deliver name+anything@ to name@.
PLUS_TAGS = DOTLESS | {
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "protonmail.com",
    "proton.me",
    "pm.me",
    "fastmail.com",
    "fastmail.fm",
    "yandex.com",
    "yandex.ru",
    "tutanota.com",
    "tuta.io",
    "riseup.net",
    "disroot.org",
    "gmx.com",
    "gmx.de",
}
ALIASES = {"googlemail.com": "gmail.com"}
# Large providers shared by many unrelated people: a per-domain limit would hurt them all.
SHARED_PROVIDERS = PLUS_TAGS | {
    "yahoo.com",
    "yahoo.fr",
    "ymail.com",
    "aol.com",
    "mail.ru",
    "gmx.net",
    "web.de",
    "zoho.com",
    "qq.com",
    "163.com",
    "hotmail.fr",
    "outlook.fr",
    "live.fr",
}


def domain_of(address: str) -> str:
    """The lower-case domain of an address in its ASCII (IDNA) form, or ''."""
    _local, at, domain = (address or "").strip().rpartition("@")
    domain = domain.strip().rstrip(".").lower() if at else ""
    try:
        return domain.encode("idna").decode("ascii") if domain else ""
    except UnicodeError:
        return domain


def normalize(address: str) -> str:
    """One spelling per mailbox: lower case, and dots and +tags removed where the provider
    ignores them."""
    local, _at, _domain = address.strip().rpartition("@")
    domain = ALIASES.get(domain_of(address), domain_of(address))
    local = local.lower()
    if domain in PLUS_TAGS:
        local = local.split("+", 1)[0]
    if domain in DOTLESS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def fingerprint(address: str, salt: str, purpose: str = "pledge") -> str:
    """The fingerprint of `address` on the statement whose fingerprint salt is `salt`;
    `purpose` keeps pledgers' and sign-on contacts' fingerprints apart."""
    key = hashlib.sha256(f"tadamun.{purpose}:{settings.FINGERPRINT_KEY}".encode()).digest()
    return hmac.new(key, f"{salt}:{normalize(address)}".encode(), hashlib.sha256).hexdigest()


def client_address(request) -> str:
    """The client's address, IPv6 reduced to its /64 (one subscriber's network).

    Read by django-ipware from CLIENT_IP_HEADER, else from the connection. Behind a reverse
    proxy (BEHIND_PROXY) that header is the proxy's: of a list such as X-Forwarded-For only
    the last address counts, the one our proxy added, never one a client wrote before it.
    Without a proxy every header is ignored: the connection's address is the only one a
    client cannot choose.
    """
    headers = dict.fromkeys([settings.CLIENT_IP_HEADER, "REMOTE_ADDR"])
    found, _routable = get_client_ip(
        request, proxy_count=0, strict=False, request_header_order=list(headers)
    )
    if found is None:
        return "unknown"
    ip = ipaddress.ip_address(found)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)
