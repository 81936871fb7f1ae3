"""Time from submitting the sign-on form to the response, on the production server.

Prints the median of 100 distinct sign-ons and, as the reference measured in the same run,
the median time of the home page, with the ratio of the two.
"""

import re
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))

from benchmarks.common import environment, manage, median, start_server  # noqa: E402

N = 100


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> None:
    env = environment(RATE_LIMIT_FORM_CLIENT="100000/h", RATE_LIMIT_FORM_DOMAIN="100000/h")
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    server, url = start_server(env)
    try:
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        form_url = url + "/en/statements/aleppo-strike-2016/sign/"
        page = opener.open(form_url).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        home, submit = [], []
        for n in range(N):
            started = time.perf_counter()
            opener.open(url + "/en/").read()
            home.append(time.perf_counter() - started)
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "name_en": f"Benchmark Organization {n}",
                    "country": "Syria",
                    "contact_name": "Bench",
                    "contact_email": f"b{n}@bench.example",
                    "contact_role": "Tester",
                    "listing": "named",
                    "consent": "on",
                }
            ).encode()
            request = urllib.request.Request(form_url, data=body, headers={"Referer": form_url})
            started = time.perf_counter()
            try:
                opener.open(request).read()
            except urllib.error.HTTPError as error:
                if error.code != 302:
                    raise
            submit.append(time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait()
    print(f"sign-on submit to response, median of {N}: {median(submit) * 1000:.1f} ms")
    print(f"reference: home page, median of {N}: {median(home) * 1000:.1f} ms")
    print(f"ratio sign-on / home page: {median(submit) / median(home):.2f}")


if __name__ == "__main__":
    main()
