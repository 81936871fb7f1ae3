"""E-mail addresses reduced to one spelling per mailbox, their keyed fingerprints (salted per
statement), and the client address that abuse limits count (never written anywhere)."""

import pytest
from django.test import RequestFactory

from tadamun.signatures.addresses import client_address, domain_of, fingerprint, normalize
from tadamun.signatures.limits import client_tag

SALT = "a-statement-salt"


@pytest.mark.parametrize(
    "one, other",
    [
        ("Nour.Haddad+strike@gmail.com", "nourhaddad@googlemail.com"),
        ("nour+news@proton.me", "NOUR@proton.me"),
        ("nour@EXAMPLE.org", "nour@example.org"),
    ],
)
def test_spellings_of_one_mailbox_have_one_fingerprint(one, other):
    assert normalize(one) == normalize(other)
    assert fingerprint(one, SALT) == fingerprint(other, SALT)


def test_dots_and_tags_count_where_the_provider_delivers_them_apart():
    assert normalize("n.haddad+x@example.org") == "n.haddad+x@example.org"
    assert fingerprint("n.haddad@example.org", SALT) != fingerprint("nhaddad@example.org", SALT)


def test_a_fingerprint_depends_on_the_key_the_statement_and_the_purpose(settings):
    before = fingerprint("nour@example.org", SALT)
    assert "nour" not in before and len(before) == 64
    # Another statement, or a sign-on contact rather than a pledger: unrelated fingerprints.
    assert fingerprint("nour@example.org", "another-salt") != before
    assert fingerprint("nour@example.org", SALT, "contact") != before
    settings.FINGERPRINT_KEY = "another-key"
    assert fingerprint("nour@example.org", SALT) != before


def test_domains_are_read_in_their_ascii_form():
    assert domain_of("someone@Bücher.Example.") == "xn--bcher-kva.example"
    assert domain_of("not an address") == ""


def request_from(remote: str, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_a_proxy_headers_a_client_can_write_are_ignored(settings):
    settings.CLIENT_IP_HEADER = "REMOTE_ADDR"
    forged = request_from(
        "198.51.100.7", HTTP_X_REAL_IP="203.0.113.1", HTTP_X_FORWARDED_FOR="203.0.113.2"
    )
    assert client_address(forged) == "198.51.100.7"


def test_behind_the_proxy_its_header_names_the_client(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_address(request_from("127.0.0.1", HTTP_X_REAL_IP="203.0.113.9")) == (
        "203.0.113.9"
    )
    # A request that did not come through the proxy is counted by its connection.
    assert client_address(request_from("198.51.100.3")) == "198.51.100.3"


def test_of_a_forwarded_list_only_the_address_the_proxy_added_counts(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    spoofed = request_from("127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.50")
    assert client_address(spoofed) == "203.0.113.50"


def test_ipv6_clients_are_counted_by_their_64_network(settings):
    settings.CLIENT_IP_HEADER = "REMOTE_ADDR"
    one = client_address(request_from("2001:db8:1:2:aaaa::1"))
    other = client_address(request_from("2001:db8:1:2:bbbb::9"))
    assert one == other == "2001:db8:1:2::"
    assert client_address(request_from("2001:db8:1:3::1")) != one


def test_garbage_in_the_header_is_no_address(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_address(request_from("", HTTP_X_REAL_IP="not-an-ip")) == "unknown"


def test_logs_tell_clients_apart_without_their_address(settings):
    settings.CLIENT_IP_HEADER = "REMOTE_ADDR"
    tag = client_tag(request_from("198.51.100.7"))
    assert tag != client_tag(request_from("198.51.100.8"))
    assert "198" not in tag and len(tag) == 12
