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
    waiting = submitted(client, statement, **SQUATTER)
    rejected = submitted(client, statement, **{**SQUATTER, "contact_email": "b@nowhere.example"})
    rejected.confirm()
    rejected.reject("not them")
    real = submitted(client, statement, **REAL)
    real.confirm()
    approve(admin_client, real)
    real.refresh_from_db()
    assert real.status == SignOn.Status.APPROVED
    assert_identity_is_the_real_ones(client, statement)
    # The squat still waiting is now a held claim on the real organization; the rejected
    # one stays apart. Neither one's proposal can be accepted later.
    waiting.refresh_from_db()
    rejected.refresh_from_db()
    assert (waiting.organization_id, waiting.claim, waiting.held) == (
        real.organization_id,
        True,
        True,
    )
    assert rejected.organization_id != real.organization_id
    for signon in (waiting, rejected):
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


# The attacker review's breaches, each played as the attacker and the moderator would.


def confirmed(client, statement, **form) -> SignOn:
    """Submitted through the form and confirmed through the link the mail carries."""
    from django.urls import reverse
    from django.utils import translation

    signon = submitted(client, statement, **form)
    with translation.override("en"):
        client.post(reverse("signatures:confirm", args=[signon.token("signon-confirm")]))
    signon.refresh_from_db()
    assert signon.status == SignOn.Status.PENDING
    return signon


def merge(admin_client, keep, other, take=()):
    """The admin's merge action, in its two steps: which to keep, then what to take."""
    chosen = {"action": "merge", "_selected_action": [keep.pk, other.pk], "keep": keep.pk}
    step = admin_client.post("/admin/signatures/organization/", {**chosen, "choose": "1"})
    assert step.status_code == 200
    admin_client.post(
        "/admin/signatures/organization/",
        {**chosen, "apply": "1", f"take-{other.pk}": list(take)},
    )
    return step.content.decode()


def test_merging_a_look_alike_into_the_real_organization_takes_none_of_its_words(
    client, admin_client
):
    from tadamun.signatures.imports import import_signatories

    # The real organization is listed by an organizer, in English only and with no website.
    statement = make_statement()
    import_signatories(statement, [{"en": "Kesh Malek"}])
    real = Organization.objects.get()
    # A look-alike with a hostile Arabic name and its own website is held; a moderator takes
    # it for another organization and approves it, then sees it is the same and merges it
    # into the real one.
    fake = confirmed(
        client,
        make_statement(),
        **{**SQUATTER, "name_en": "Kesh Malik", "website": "https://keshmalek-verify.example"},
    )
    assert fake.held and fake.organization_id == real.pk
    admin_client.post(f"/admin/signatures/signon/{fake.pk}/release/", {"as": "another"})
    fake.refresh_from_db()
    assert fake.status == SignOn.Status.APPROVED and fake.organization_id != real.pk
    page = merge(admin_client, real, fake.organization)
    # The moderator is offered the look-alike's words, unticked, and takes none.
    assert HOSTILE_NAME in page and 'type="checkbox"' in page and "checked" not in page
    real.refresh_from_db()
    assert real.name == {"en": "Kesh Malek"}
    assert (real.website, real.country) == ("", "")
    fake.refresh_from_db()
    assert fake.organization_id == real.pk
    # Its website did not become the real organization's: the squatter's next address is
    # still held, with nothing to compare it with.
    again = confirmed(
        client, make_statement(), **{**SQUATTER, "contact_email": "x@keshmalek-verify.example"}
    )
    assert again.organization_id == real.pk and again.held
    assert again.domain_signal()[0] is None
    # Nor does a search for its hostile name find the real organization.
    assert not Organization.known_by({"ar": HOSTILE_NAME})
    for code in ("en", "ar"):
        page = client.get(f"/{code}/statements/{fake.statement.slug}/?q={HOSTILE_NAME}")
        assert "Kesh Malek" not in page.content.decode()
    # The lists name it as the real organization now (the record keeps, as history, what
    # it disclosed while the look-alike was listed apart).
    outputs = public_outputs(client, fake.statement)
    for where, text in outputs.items():
        if where != "record":
            assert HOSTILE_NAME not in text and "keshmalek-verify" not in text, where
    for where in ("page en", "page ar", "csv", "json", "api"):
        assert "Kesh Malek" in outputs[where], where


def test_a_merge_takes_a_name_or_website_only_when_the_moderator_ticks_it(admin_client):
    from tadamun.signatures.imports import import_signatories

    import_signatories(make_statement(), [{"en": "Refugees Committee"}])
    import_signatories(make_statement(), [{"ar": "لجنة اللاجئين"}])
    keep, other = Organization.objects.order_by("pk")
    other.apply_details({"website": "https://refugees.example"}, Organization.Source.ORGANIZER)
    merge(admin_client, keep, other, take=["name_ar"])
    keep.refresh_from_db()
    assert keep.name == {"en": "Refugees Committee", "ar": "لجنة اللاجئين"}
    assert keep.website == ""  # offered, not ticked
    assert Organization.known_by({"ar": "لجنة اللاجئين"}) == keep


def test_bulk_approval_of_two_sign_ons_under_one_new_name_lets_the_first_sent_keep_it(
    client, admin_client
):
    statement = make_statement()
    first = confirmed(client, statement, **REAL)
    second = confirmed(client, statement, **SQUATTER)
    assert not first.claim and not second.claim  # a name nobody approved yet
    # The queue lists the newer first; the moderator ticks both and approves.
    page = admin_client.post(
        "/admin/signatures/signon/",
        {"action": "approve", "_selected_action": [second.pk, first.pk]},
        follow=True,
    ).content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == SignOn.Status.APPROVED
    assert (second.status, second.claim, second.held) == (SignOn.Status.PENDING, True, True)
    assert second.organization_id == first.organization_id
    assert "now held as a claim" in page and "Held" in page
    assert_identity_is_the_real_ones(client, statement)


def test_a_released_claim_never_becomes_the_organizations_known_contact(
    client, admin_client, smtp, run_worker, settings
):
    settings.CLAIM_NOTICE_HOURS = 0  # each claim is told, to see who is told
    first = confirmed(client, make_statement(), **REAL)
    first.approve()
    squatter = confirmed(client, make_statement(), **SQUATTER)
    assert squatter.held
    admin_client.post(f"/admin/signatures/signon/{squatter.pk}/release/")
    squatter.refresh_from_db()
    assert squatter.status == SignOn.Status.APPROVED and squatter.released_claim
    assert squatter.organization.known_contact() == first
    run_worker()
    before = len(smtp.to(REAL["contact_email"]))
    third = confirmed(
        client, make_statement(), **{**SQUATTER, "contact_email": "third@nowhere.example"}
    )
    assert third.held
    run_worker()
    told = [m for m in smtp.to(REAL["contact_email"]) if "used your" in m["Subject"]]
    assert len(smtp.to(REAL["contact_email"])) == before + 1 and told
    assert not [m for m in smtp.to(SQUATTER["contact_email"]) if "used your" in m["Subject"]]


def test_a_squat_confirmed_before_the_real_organizations_approval_is_held_and_told(
    client, admin_client, smtp, run_worker
):
    statement = make_statement()
    # The squatter is first under a name nobody approved yet, and confirms; a second squat
    # is not confirmed yet.
    squat = confirmed(client, statement, **SQUATTER)
    late = submitted(client, statement, **{**SQUATTER, "contact_email": "late@nowhere.example"})
    real = confirmed(client, statement, **REAL)
    page = approve(admin_client, real).content.decode()
    real.refresh_from_db()
    assert real.status == SignOn.Status.APPROVED
    # The moderator is told at once, the squat is a held claim on the real organization...
    assert "2 other sign-ons were waiting under this organization" in page
    squat.refresh_from_db()
    assert (squat.organization_id, squat.claim, squat.held) == (real.organization_id, True, True)
    # ... and the real organization is told by mail, in its language, without the squatter's
    # words.
    run_worker()
    told = [m for m in smtp.to(REAL["contact_email"]) if "used your" in m["Subject"]]
    assert len(told) == 1
    for part in ("plain", "html"):
        text = told[0].get_body((part,)).get_content()
        assert HOSTILE_NAME not in text and "keshmalek-verify" not in text
    # The squat still unconfirmed is a held claim too, told of once it is confirmed.
    late.refresh_from_db()
    assert late.claim and late.held and late.organization_id == real.organization_id
    # Bulk approval leaves the squat waiting, and the public outputs are the real ones.
    approve(admin_client, squat)
    squat.refresh_from_db()
    assert squat.status == SignOn.Status.PENDING
    assert_identity_is_the_real_ones(client, statement)


def test_a_squat_waiting_when_an_organizer_imports_the_name_becomes_a_held_claim(
    client, admin_client
):
    from tadamun.signatures.imports import import_signatories

    statement = make_statement()
    squat = confirmed(client, statement, **SQUATTER)
    import_signatories(make_statement(), [{"en": "Kesh Malek", "ar": "كش ملك"}])
    squat.refresh_from_db()
    assert squat.claim and squat.held
    assert squat.organization.name == {"en": "Kesh Malek", "ar": "كش ملك"}


def test_a_look_alike_of_an_organization_another_coalition_counts_unnamed_reveals_it_not(
    client,
):
    # Kesh Malek signed only another coalition's statement, counted without its name.
    elsewhere = make_statement()
    counted = confirmed(client, elsewhere, **{**REAL, "listing": "counted"})
    counted.approve()
    statement = make_statement()
    lookalike = confirmed(client, statement, **{**SQUATTER, "name_en": "Kesh Malik"})
    # This coalition's moderators are not shown, nor held on, the unnamed organization...
    assert not lookalike.claim and lookalike.organization_id != counted.organization_id
    # ... while the same look-alike in the coalition that counts it is held.
    again = confirmed(
        client,
        make_statement(coalition=elsewhere.coalition),
        **{**SQUATTER, "name_en": "Kesh Malik", "contact_email": "b@nowhere.example"},
    )
    assert again.held and again.organization_id == counted.organization_id


# What attackers put in a name to make our mail carry a way to reach them.
HOSTILE_IN_MAIL = [
    ("an IP address with port and path", "Kesh Malek 45.33.12.9:8443/login", "45.33.12.9"),
    ("a hexadecimal IP address", "Kesh Malek 0x2d.0x21.0xc.0x9", "0x2d"),
    ("an IP address as one number", "Kesh Malek 0x2d210c09", "0x2d210c09"),
    ("a dot in brackets", "Kesh Malek tadamun-verify[.]example", "tadamun-verify"),
    ("a dot spelled out", "Kesh Malek tadamun-verify(dot)example/login", "tadamun-verify"),
    ("a dot written as a word", "Kesh Malek tadamun verify dot example", "verify"),
    ("a defanged scheme", "Kesh Malek hxxps://verify-now", "verify-now"),
    ("a telephone number", "Kesh Malek call +963 (11) 234-5678", "234"),
    ("a telephone number in Arabic digits", "كش ملك اتصلوا ٠٩٩٣١٢٣٤٥٦", "٠٩٩٣"),
]


@pytest.mark.parametrize("kind, name, trace", HOSTILE_IN_MAIL, ids=[k for k, *_ in HOSTILE_IN_MAIL])
def test_names_in_mail_carry_no_address_number_or_link_however_written(
    client, admin_client, smtp, run_worker, kind, name, trace
):
    statement = make_statement()
    field = "name_ar" if "ملك" in name else "name_en"
    form = {"name_en": "", "name_ar": "", field: name, "contact_email": "signer@example.org"}
    signon = confirmed(client, statement, **form)
    approve(admin_client, signon)
    # The same name then claimed by someone else: the signer is told, by its approved name.
    confirmed(client, make_statement(), **{**form, "contact_email": "other@elsewhere.example"})
    run_worker()
    mails = [m for m in smtp.to("signer@example.org") if "confirm" not in m["Subject"].lower()]
    assert {"approved" in m["Subject"] or "used your" in m["Subject"] for m in mails} == {True}
    assert len(mails) == 2
    for message in mails:
        assert trace not in message["Subject"]
        for part in ("plain", "html"):
            text = message.get_body((part,)).get_content()
            assert "Kesh Malek" in text or "كش ملك" in text, kind
            assert trace not in text, (kind, text)
            assert links_in(text) <= ours(), links_in(text)
