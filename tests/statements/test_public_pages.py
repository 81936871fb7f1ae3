import pytest

from tests.factories import make_statement

pytestmark = pytest.mark.django_db


def test_the_root_sends_each_reader_to_their_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Location"] == "/en/"
    assert "Accept-Language" in response["Vary"]


def test_arabic_pages_are_right_to_left_and_english_left_to_right(client):
    statement = make_statement()
    ar = client.get(f"/ar/statements/{statement.slug}/").content.decode()
    en = client.get(f"/en/statements/{statement.slug}/").content.decode()
    assert '<html lang="ar" dir="rtl">' in ar
    assert '<html lang="en" dir="ltr">' in en
    assert "ندعو إلى السلام." in ar and "We call for peace." not in ar
    assert "We call for peace." in en and "ندعو إلى السلام." not in en


def test_the_statement_page_shows_demands_status_and_version(client):
    statement = make_statement(demands=3)
    page = client.get(f"/en/statements/{statement.slug}/").content.decode()
    for i in (1, 2, 3):
        assert f"Demand {i}" in page
    assert page.count("Status:") == 3
    assert "Version 1" in page


def test_the_language_switch_links_to_the_same_page(client):
    statement = make_statement()
    page = client.get(f"/en/statements/{statement.slug}/").content.decode()
    assert f'href="/ar/statements/{statement.slug}/"' in page


def test_other_languages_name_the_authoritative_text(client):
    statement = make_statement(authoritative_language="ar")
    en = client.get(f"/en/statements/{statement.slug}/").content.decode()
    ar = client.get(f"/ar/statements/{statement.slug}/").content.decode()
    assert "text of this statement is authoritative" in en
    assert f'href="/ar/statements/{statement.slug}/"' in en
    assert "authoritative" not in ar and "الرسمي" not in ar.split("<main")[1].split("</article>")[0]


def test_a_language_the_statement_lacks_falls_back_to_the_authoritative_text(client):
    statement = make_statement(languages=["ar"], authoritative_language="ar", title={"ar": "بيان"})
    page = client.get(f"/en/statements/{statement.slug}/").content.decode()
    assert "ندعو إلى السلام." in page


def test_html_in_statement_text_is_escaped(client):
    statement = make_statement(
        published=False,
        title={"en": "<script>alert(1)</script>", "ar": "عنوان"},
        body={"en": '<img src=x onerror="alert(2)"> and <b>bold</b>', "ar": "نص"},
    )
    statement.publish()
    page = client.get(f"/en/statements/{statement.slug}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "<b>bold</b>" not in page


def test_drafts_and_unpublished_statements_are_not_public(client):
    draft = make_statement(status="draft")
    unpublished = make_statement(published=False)
    assert client.get(f"/en/statements/{draft.slug}/").status_code == 404
    assert client.get(f"/en/statements/{unpublished.slug}/").status_code == 404
    home = client.get("/en/").content.decode()
    assert draft.slug not in home and unpublished.slug not in home


def test_the_home_page_lists_open_statements(client):
    statement = make_statement()
    closed = make_statement(status="closed")
    page = client.get("/en/").content.decode()
    assert f"/en/statements/{statement.slug}/" in page
    assert f"/en/statements/{closed.slug}/" not in page


def test_public_pages_set_no_cookie(client):
    statement = make_statement()
    for url in ("/en/", f"/en/statements/{statement.slug}/", f"/ar/statements/{statement.slug}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, url
        assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_signatory_list_is_sorted_and_searchable_without_javascript(client):
    from tadamun.signatures.imports import import_signatories

    # The list is ordered by the names in the statement's authoritative language.
    statement = make_statement(authoritative_language="en")
    import_signatories(
        statement,
        [
            {"en": "Violet Organization"},
            {"en": "Baytna Syria", "ar": "بيتنا سوريا"},
            {"en": "Kesh Malek"},
        ],
    )
    en = client.get(f"/en/statements/{statement.slug}/").content.decode()
    assert en.index("Baytna Syria") < en.index("Kesh Malek") < en.index("Violet Organization")
    ar = client.get(f"/ar/statements/{statement.slug}/").content.decode()
    assert "<bdi>بيتنا سوريا</bdi>" in ar
    found = client.get(f"/en/statements/{statement.slug}/", {"q": "KESH"}).content.decode()
    assert "Kesh Malek" in found and "Violet" not in found and "Baytna" not in found
    found_ar = client.get(f"/ar/statements/{statement.slug}/", {"q": "بيتنا"}).content.decode()
    assert "بيتنا سوريا" in found_ar and "Kesh Malek" not in found_ar
    assert 'method="get"' in en and 'name="q"' in en
