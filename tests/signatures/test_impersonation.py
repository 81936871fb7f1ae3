"""The attacks of issue 15, played through the public form, the mail and the admin as an
impersonator and a moderator would: nobody puts an organization's name, or words, where that
organization did not."""

import io
import json
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tadamun.signatures.models import Organization, SignOn
from tests.factories import make_statement
from tests.signatures.helpers import approve, confirm_link, sign_on

pytestmark = pytest.mark.django_db

HOSTILE_NAME = "عملاء المخابرات"
HOSTILE_COUNTRY = "Occupied Nowhere"
REAL = {
    "name_en": "Kesh Malek",
    "name_ar": "كش ملك",
    "country": "Syria",
    "city": "Gaziantep",
    "website": "https://www.keshmalek.org",
    "contact_email": "director@keshmalek.org",
}
SQUATTER = {
    **REAL,
    "name_ar": HOSTILE_NAME,
    "country": HOSTILE_COUNTRY,
    "city": "Nowhere",
    "website": "https://keshmalek-verify.example",
    "contact_email": "squatter@keshmalek-verify.example",
}
PHISHING = (
    "SECURITY ALERT your account is suspended, verify now at "
    "https://tadamun-verify.example/login or write to help@tadamun-verify.example"
)


@pytest.fixture(autouse=True)
def _no_limits(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "1000000/h")


def submitted(client, statement, language="en", **form) -> SignOn:
    assert sign_on(client, statement, language=language, **form).status_code == 302
    return SignOn.objects.latest("pk")


def public_outputs(client, statement) -> dict[str, str]:
    """Everything public that names signatories, in every language."""
    from pypdf import PdfReader

    outputs = {}
    for code, _name in settings.LANGUAGES:
        base = f"/{code}/statements/{statement.slug}"
        outputs[f"page {code}"] = client.get(f"{base}/").content.decode()
        outputs[f"press kit {code}"] = client.get(f"{base}/press/").content.decode()
        outputs[f"card {code}"] = client.get(f"{base}/card/").content.decode()
        pdf = client.get(f"{base}/press.pdf")
        if pdf.status_code == 200:
            reader = PdfReader(io.BytesIO(pdf.content))
            outputs[f"press kit PDF {code}"] = "\n".join(p.extract_text() for p in reader.pages)
    outputs["csv"] = b"".join(client.get(f"/data/{statement.slug}/signatories.csv")).decode()
    # JSON may escape non-ASCII letters: read it, then write it out as text.
    outputs["json"] = unescaped(b"".join(client.get(f"/data/{statement.slug}/signatories.json")))
    outputs["api"] = unescaped(client.get(f"/api/statements/{statement.slug}/signatories").content)
    record = b"".join(client.get("/data/record.jsonl")).decode().splitlines()
    outputs["record"] = "\n".join(unescaped(line.encode()) for line in record)
    return outputs


def unescaped(data: bytes) -> str:
    return json.dumps(json.loads(data), ensure_ascii=False)


def assert_identity_is_the_real_ones(client, statement):
    organization = SignOn.objects.get(statement=statement, status="approved").organization
    assert organization.name == {"en": "Kesh Malek", "ar": "كش ملك"}
    assert (organization.country, organization.city) == ("Syria", "Gaziantep")
    assert organization.website == "https://www.keshmalek.org"
    outputs = public_outputs(client, statement)
    for where, text in outputs.items():
        assert HOSTILE_NAME not in text, where
        assert HOSTILE_COUNTRY not in text, where
        assert "keshmalek-verify" not in text, where
    assert "كش ملك" in outputs["page ar"] and "Syria" in outputs["csv"]
    assert "كش ملك" in outputs["api"] and "كش ملك" in outputs["press kit ar"]
    if "press kit PDF en" in outputs:
        assert "Kesh Malek" in outputs["press kit PDF en"]


def test_squatting_a_name_before_the_real_organization_signs_changes_nothing_public(
    client, admin_client
):
    statement = make_statement()
    # The squatter signs first under the real name with its own Arabic name and country,
    # once without confirming, and once confirming and being rejected.
    submitted(client, statement, **SQUATTER)
    rejected = submitted(client, statement, **{**SQUATTER, "contact_email": "b@nowhere.example"})
    rejected.confirm()
    rejected.reject("not them")
    real = submitted(client, statement, **REAL)
    real.confirm()
    approve(admin_client, real)
    real.refresh_from_db()
    assert real.status == SignOn.Status.APPROVED
    assert_identity_is_the_real_ones(client, statement)
    # Nor can the squatter's proposal be accepted later.
    for signon in SignOn.objects.exclude(pk=real.pk):
        assert signon.organization_id != real.organization_id
        with pytest.raises(ValueError):
            signon.accept_details(["name_ar", "country"])
    assert_identity_is_the_real_ones(client, statement)


def test_squatting_a_listed_name_is_a_held_claim_whose_details_change_nothing(client, admin_client):
    earlier, statement = make_statement(), make_statement()
    first = submitted(client, earlier, **REAL)
    first.confirm()
    first.approve()
    squatter = submitted(client, statement, **SQUATTER)
    squatter.confirm()
    assert squatter.claim and squatter.held
    # Bulk approval refuses a held claim; it is approved only one by one after checking.
    page = approve(admin_client, squatter).content.decode()
    assert "Held" in page
    squatter.refresh_from_db()
    assert squatter.status == SignOn.Status.PENDING
    # A moderator who approves it anyway still leaves the organization's record as it was.
    admin_client.post(f"/admin/signatures/signon/{squatter.pk}/release/")
    squatter.refresh_from_db()
    assert squatter.status == SignOn.Status.APPROVED
    assert_identity_is_the_real_ones(client, statement)
    # Its details are a proposal the moderator sees as a difference.
    changes = {c["field"]: c for c in squatter.proposed_changes()}
    assert changes["name_ar"]["current"] == "كش ملك"
    assert changes["name_ar"]["proposed"] == HOSTILE_NAME
    assert changes["country"]["proposed"] == HOSTILE_COUNTRY
    details = admin_client.get(f"/admin/signatures/signon/{squatter.pk}/details/").content
    assert HOSTILE_NAME in details.decode() and "كش ملك" in details.decode()


def test_proposed_details_apply_only_when_a_moderator_accepts_them(client, admin_client):
    earlier, statement = make_statement(), make_statement()
    first = submitted(client, earlier, **{**REAL, "name_ar": ""})
    first.confirm()
    first.approve()
    organization = first.organization
    assert organization.name == {"en": "Kesh Malek"}
    update = submitted(client, statement, **{**REAL, "contact_email": "news@keshmalek.org"})
    assert update.claim and not update.held  # the address is at the approved domain
    update.confirm()
    update.approve()
    organization.refresh_from_db()
    assert organization.name == {"en": "Kesh Malek"}  # approving is not accepting
    admin_client.post(f"/admin/signatures/signon/{update.pk}/details/", {"fields": ["name_ar"]})
    organization.refresh_from_db()
    assert organization.name == {"en": "Kesh Malek", "ar": "كش ملك"}
    page = client.get(f"/ar/statements/{statement.slug}/").content.decode()
    assert "كش ملك" in page
    assert Organization.known_by({"ar": "كش ملك"}) == organization
    record = b"".join(client.get("/data/record.jsonl")).decode()
    assert '"action":"details"' in record.replace(" ", "")


def test_the_known_contact_is_told_in_its_language_that_someone_used_its_name(
    client, smtp, run_worker
):
    earlier, statement = make_statement(), make_statement()
    first = submitted(client, earlier, language="ar", **REAL)
    first.confirm()
    first.approve()
    run_worker()
    before = len(smtp.messages)
    squatter = submitted(client, statement, **{**SQUATTER, "name_ar": PHISHING[:200]})
    run_worker()
    client.post(confirm_link(smtp.to(SQUATTER["contact_email"])[-1]))
    run_worker()
    squatter.refresh_from_db()
    assert squatter.status == SignOn.Status.PENDING and squatter.held
    told = [m for m in smtp.messages[before:] if REAL["contact_email"] in m["X-Envelope-To"]]
    assert len(told) == 1
    message = told[0]
    assert "اسم منظمتكم" in message["Subject"]  # in Arabic, the contact's language
    for part in ("plain", "html"):
        text = message.get_body((part,)).get_content()
        assert "Kesh Malek" in text or "كش ملك" in text
        assert "SECURITY" not in text and "verify" not in text and HOSTILE_NAME not in text
        assert links_in(text) <= ours()
    # One notice a day at most, however many claims follow.
    again = submitted(client, statement, **{**SQUATTER, "contact_email": "c@nowhere.example"})
    again.confirm()
    run_worker()
    assert len([m for m in smtp.messages if REAL["contact_email"] in m["X-Envelope-To"]]) == 2


def test_earlier_statements_of_a_listed_organization_do_not_vouch_for_a_claimant(client):
    # Of the same coalition: another coalition's statements are never shown (test_moderation).
    earlier = make_statement()
    statement = make_statement(coalition=earlier.coalition)
    first = submitted(client, earlier, **REAL)
    first.confirm()
    first.approve()
    squatter = submitted(client, statement, **SQUATTER)
    squatter.confirm()
    assert list(squatter.earlier_statements()) == []
    assert list(squatter.organization_statements()) == [earlier]
    same = submitted(client, statement, **{**REAL, "contact_email": "other@keshmalek.org"})
    same.confirm()
    assert list(same.earlier_statements()) == [earlier]


LINK = re.compile(r"(?:https?://|www\.)[^\s\"'<>]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
HREF = re.compile(r'href="([^"]+)"')


def links_in(text: str) -> set[str]:
    """Whatever a mail client would make a link of: URLs, www. hosts, addresses, hrefs."""
    found = set(LINK.findall(text)) | set(HREF.findall(text))
    return {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" if "://" in u else u for u in found}


def ours() -> set[str]:
    return {settings.SITE_URL}


def test_a_phishing_name_is_never_mailed(client, admin_client, smtp, run_worker):
    statement = make_statement()
    signon = submitted(
        client,
        statement,
        name_en=PHISHING[:200],
        name_ar="",
        contact_email="victim@example.org",
    )
    run_worker()
    (confirmation,) = smtp.to("victim@example.org")
    client.post(confirm_link(confirmation))
    signon.refresh_from_db()
    admin_client.post(
        "/admin/signatures/signon/",
        {"action": "reject", "_selected_action": [signon.pk], "apply": "1", "reason": ""},
    )
    run_worker()
    messages = smtp.to("victim@example.org")
    assert len(messages) == 2  # the confirmation and the rejection
    for message in messages:
        assert "SECURITY" not in message["Subject"]
        for part in ("plain", "html"):
            text = message.get_body((part,)).get_content()
            assert "tadamun-verify" not in text and "SECURITY" not in text
            assert links_in(text) <= ours(), links_in(text)


def test_an_approved_name_is_mailed_only_as_plain_text_without_links(client, smtp, run_worker):
    # Even a name a moderator let through reaches mail with no link, address or domain.
    statement = make_statement()
    signon = submitted(
        client, statement, name_en=PHISHING[:200], name_ar="", contact_email="a@example.org"
    )
    signon.confirm()
    signon.approve()
    run_worker()
    approved = [m for m in smtp.to("a@example.org") if "approved" in m["Subject"]]
    for part in ("plain", "html"):
        text = approved[0].get_body((part,)).get_content()
        assert "SECURITY ALERT your account is suspended" in text
        assert "tadamun-verify" not in text
        assert links_in(text) <= ours(), links_in(text)


def test_the_confirmation_page_shows_the_submitted_name_without_links(client, smtp, run_worker):
    statement = make_statement()
    submitted(client, statement, name_en=PHISHING[:200], name_ar="", contact_email="v@ex.org")
    run_worker()
    page = client.get(confirm_link(smtp.to("v@ex.org")[0])).content.decode()
    assert "SECURITY ALERT" in page and "tadamun-verify" not in page


def test_the_api_refuses_to_approve_a_held_claim(client):
    from tests.api.test_api import bearer, token_for

    earlier, statement = make_statement(), make_statement()
    first = submitted(client, earlier, **REAL)
    first.confirm()
    first.approve()
    squatter = submitted(client, statement, **SQUATTER)
    squatter.confirm()
    response = client.post(
        f"/api/signons/{squatter.pk}/approve", **bearer(token_for(statement.coalition))
    )
    assert response.status_code == 409
    assert "Held" in response.json()["detail"]
    squatter.refresh_from_db()
    assert squatter.status == SignOn.Status.PENDING
