"""Steps of the sign-on path, done the way a person does them."""

import re

LINK = re.compile(r"http://[^\s\"<>]+")


def links_in(message) -> list[str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return LINK.findall(text)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def confirm_link(message) -> str:
    return next(path_of(u) for u in links_in(message) if "/confirm/" in u)


def withdraw_link(message) -> str:
    return next(path_of(u) for u in links_in(message) if "/withdraw/" in u)


def sign_on(client, statement, language="en", **form):
    from tests.factories import signon_form

    return client.post(f"/{language}/statements/{statement.slug}/sign/", signon_form(**form))


def approve(admin_client, signon):
    return admin_client.post(
        "/admin/signatures/signon/",
        {"action": "approve", "_selected_action": [signon.pk]},
        follow=True,
    )
