"""`make bench`: the production server under load from wrk on loopback, all figures from one run.

Writes bench-results.json at the repository root and prints a table. Every load is bounded
in time; the whole run takes a few minutes on two cores.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

from benchmarks.common import PYTHON, ROOT, environment, free_port, manage  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = 64
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/tadamun_bench")
LIMITS = {
    "RATE_LIMIT_FORM_CLIENT": "100000000/h",
    "RATE_LIMIT_FORM_DOMAIN": "100000000/h",
    "RATE_LIMIT_LINK_CLIENT": "100000000/h",
}

FILL = """
import django, sys; django.setup()
from django.db import connection, transaction
from tadamun.signatures.models import SignOn, Pledge, PledgeCategory, PledgeCell
from tadamun.signatures.models.pledges import publish_figures
from tadamun.statements.models import Statement, Tally
slug, organizations, pledges = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = Statement.objects.get(slug=slug)
categories = list(PledgeCategory.objects.filter(statement=s).values_list("pk", flat=True)) or [None]
pg = connection.vendor == "postgresql"
name = "json_build_object('en', 'Organization ' || i)" if pg else "json_object('en', 'Organization ' || i)"
series = "generate_series(1, %s) AS seq(i)" if pg else (
    "(WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %s) SELECT i FROM seq) AS seq")
now = "now()" if pg else "CURRENT_TIMESTAMP"
false = "false" if pg else "0"
with transaction.atomic(), connection.cursor() as c:
    c.execute("SELECT COALESCE(MAX(id), 0) FROM signatures_organization")
    base = c.fetchone()[0]
    c.execute(f"INSERT INTO signatures_organization (id, name, country, city, website, created_at) "
              f"SELECT %s + i, {name}, 'Syria', '', '', {now} FROM {series}", [base, organizations])
    c.execute(f"INSERT INTO signatures_signon (statement_id, organization_id, version_id, submitted_name, "
              f"country, city, website, contact_name, contact_email, contact_role, contact_hash, listing, pauses_work, "
              f"language, status, reason, imported, created_at, confirm_nonce, withdraw_nonce, "
              f"reconfirm_nonce, mails_sent, list_key) "
              f"SELECT %s, id, %s, name, 'Syria', '', '', '', '', '', '', 'named', {false}, 'en', 'approved', "
              f"'', {false}, {now}, 'x', 'x', 'x', 0, 'organization ' || (id - %s) "
              f"FROM signatures_organization WHERE id > %s", [s.pk, s.current_version_id, base, base])
    for n, category in enumerate(categories):
        share = pledges // len(categories) + (1 if n < pledges % len(categories) else 0)
        c.execute(f"INSERT INTO signatures_pledge (statement_id, category_id, city, appearance, public_name, "
                  f"joins_strike, wants_updates, email, email_hash, work_email, work_domain, work_verified, "
                  f"language, status, created_at, confirm_nonce, withdraw_nonce, work_nonce, mails_sent) "
                  f"SELECT %s, %s, 'Idlib', 'category', '', {false}, {false}, '', "
                  f"'bench-' || %s || '-' || %s || '-' || i, '', '', {false}, 'en', 'confirmed', {now}, "
                  f"'x', 'x', 'x', 0 FROM {series}", [s.pk, category, base, n, share])
        if category:
            PledgeCell.add(s.pk, "category", str(category), str(category), share)
            PledgeCell.add(s.pk, "city", "idlib", "Idlib", share)
SignOn.recount(s)
Tally.objects.filter(statement=s).update(pledges=Pledge.objects.counted().filter(statement=s).count())
publish_figures(Tally.objects.get(statement=s))
Tally.touch(s.pk)
"""

TIMING = """
import django, sys, time, urllib.request; django.setup()
from tadamun.statements.models import Tally, Statement
url, slug, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = Statement.objects.get(slug=slug)
times = []
for _ in range(n):
    Tally.touch(s.pk)  # every request misses the page cache: the full cost of a render
    started = time.perf_counter()
    urllib.request.urlopen(url).read()
    times.append(time.perf_counter() - started)
times.sort()
print(times[len(times) // 2] * 1000)
"""

SIGNON_LUA = """
local counter = 0
local token = os.getenv("CSRF_TOKEN")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken=" .. os.getenv("CSRF_COOKIE")
wrk.headers["Referer"] = os.getenv("REFERER")
function init(args)
  counter = math.random(1, 1000000000)
end
request = function()
  counter = counter + 1
  local id = tostring(counter) .. "-" .. tostring(math.random(1, 1000000000))
  local body = "csrfmiddlewaretoken=" .. token .. "&name_en=Bench+Org+" .. id ..
    "&country=Syria&contact_name=Bench&contact_email=b" .. id .. "%40bench.example" ..
    "&contact_role=Tester&listing=named&consent=on"
  return wrk.format(nil, nil, nil, body)
end
"""


def wrk(
    url: str, seconds: int = SECONDS, script: str | None = None, env: dict | None = None
) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", script]
    out = subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=seconds + 60,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p99_ms": float(p99.group(1)) * scale,
        "non_2xx_3xx": int(errors.group(1)) if errors else 0,
        "raw": out,
    }


class Server:
    """gunicorn (our settings, several workers) and the task worker, as `make run` starts them."""

    def __init__(self, env: dict, workers: int):
        self.port = free_port()
        self.env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port), "WEB_WORKERS": str(workers)}
        self.url = f"http://127.0.0.1:{self.port}"
        self.web = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.worker = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--interval", "1"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(300):
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2)  # noqa: S310
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def peak_rss_mb(self) -> float:
        """The highest peak resident memory (VmHWM) of any one web process."""
        pids = [self.web.pid]
        children = Path(f"/proc/{self.web.pid}/task/{self.web.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        peak = 0
        for pid in pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peak = max(peak, int(match.group(1)))
        return peak / 1024

    def stop(self) -> None:
        for process in (self.web, self.worker):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in (self.web, self.worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def page_ms(url: str, env: dict) -> float:
    """Median time of the page rendered anew (the cache bypassed), over 41 requests."""
    out = subprocess.run(
        [PYTHON, "-c", TIMING, url, "aleppo-strike-2016", "41"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(out)


def csrf(url: str) -> tuple[str, str]:
    response = urllib.request.urlopen(url)  # noqa: S310
    cookie = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", "")).group(1)
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()
    ).group(1)
    return cookie, token


def count_signons(env: dict) -> int:
    code = (
        "import django; django.setup(); from tadamun.signatures.models import SignOn; "
        # Contact details are encrypted: the sign-ons sent through the form are those with a
        # contact fingerprint (the seeded ones have none).
        "print(SignOn.objects.exclude(contact_hash='').count())"
    )
    return int(
        subprocess.run(
            [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout
    )


def signon_rate(server: Server, env: dict, workdir: Path) -> float:
    form = server.url + "/en/statements/aleppo-strike-2016/sign/"
    cookie, token = csrf(form)
    script = workdir / "signon.lua"
    script.write_text(SIGNON_LUA)
    before = count_signons(env)
    started = time.perf_counter()
    result = wrk(
        form, script=str(script), env={"CSRF_TOKEN": token, "CSRF_COOKIE": cookie, "REFERER": form}
    )
    elapsed = time.perf_counter() - started
    stored = count_signons(env) - before
    return stored / min(elapsed, SECONDS + 1), result


def nginx(
    workdir: Path, root: Path, upstream: int | None, static_root: Path
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cache = workdir / f"nginx-{port}"
    cache.mkdir()
    # nginx's workers run as www-data when the master is root: they must write the cache.
    workdir.chmod(0o755)
    cache.chmod(0o777)
    if upstream is None:
        config = f"""
worker_processes auto; pid {cache}/nginx.pid; error_log {cache}/error.log warn;
events {{ worker_connections 4096; }}
http {{ access_log off; sendfile on; include /etc/nginx/mime.types;
  client_body_temp_path {cache}/b; proxy_temp_path {cache}/p; fastcgi_temp_path {cache}/f;
  uwsgi_temp_path {cache}/u; scgi_temp_path {cache}/s;
  server {{ listen 127.0.0.1:{port}; root {root}; location / {{ try_files /page.html =404; default_type text/html; }} }} }}
"""
    else:
        config = (ROOT / "deploy/nginx.conf").read_text()
        for key, value in {
            "APP_SERVERS": f"server 127.0.0.1:{upstream};",
            "STATIC_ROOT": str(static_root),
            "CACHE_DIR": str(cache),
            "LISTEN": f"127.0.0.1:{port}",
            "SERVER_NAME": "127.0.0.1",
        }.items():
            config = config.replace("{{ " + key + " }}", value)
    path = cache / "nginx.conf"
    path.write_text(config)
    process = subprocess.Popen(
        ["nginx", "-c", str(path), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=1)  # noqa: S310
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.05)
    return process, url


def main() -> None:
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(
                f"{tool} is missing: `make bench` installs it (apt-get install wrk nginx-light)"
            )
    workdir = Path(tempfile.mkdtemp(prefix="tadamun-bench-"))
    cores = os.cpu_count() or 2
    workers = max(2, cores * 2)
    results: dict = {
        "cores": cores,
        "web_workers": workers,
        "connections": CONNECTIONS,
        "seconds_per_load": SECONDS,
    }
    page_path = "/en/statements/aleppo-strike-2016/"

    # 1. SQLite, the demo made realistic: 1,000 organizations and 10,000 pledges.
    env = environment(**LIMITS)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "load_demo")
    subprocess.run(
        [PYTHON, "-c", FILL, "aleppo-strike-2016", "960", "9889"], cwd=ROOT, env=env, check=True
    )
    server = Server(env, workers)
    try:
        page = urllib.request.urlopen(server.url + page_path).read()  # noqa: S310
        (workdir / "page.html").write_bytes(page)
        print(
            f"page: {len(page):,} bytes; load {SECONDS} s each, {CONNECTIONS} connections",
            flush=True,
        )
        run = wrk(server.url + page_path)
        results["page_rps"], results["page_p99_ms"] = run["rps"], run["p99_ms"]
        print(f"  page_rps {run['rps']:.0f}", flush=True)
        hello = wrk(server.url + "/healthz")
        results["hello_rps"] = hello["rps"]
        print(f"  hello_rps {hello['rps']:.0f}", flush=True)
        rate, run = signon_rate(server, env, workdir)
        results["signon_per_s_sqlite"] = rate
        results["signon_p99_ms_sqlite"] = run["p99_ms"]
        print(f"  signon_per_s_sqlite {rate:.0f}", flush=True)
        static_root = Path(env.get("STATIC_ROOT", ROOT / "staticfiles"))
        proxy, proxy_url = nginx(workdir, workdir, server.port, static_root)
        try:
            run = wrk(proxy_url + page_path)
            results["page_proxy_rps"], results["page_proxy_p99_ms"] = run["rps"], run["p99_ms"]
            print(f"  page_proxy_rps {run['rps']:.0f}", flush=True)
        finally:
            proxy.terminate()
            proxy.wait()
        static, static_url = nginx(workdir, workdir, None, static_root)
        try:
            run = wrk(static_url + "/")
            results["nginx_rps"] = run["rps"]
            print(f"  nginx_rps {run['rps']:.0f}", flush=True)
        finally:
            static.terminate()
            static.wait()
        results["page_ms_1k"] = page_ms(server.url + page_path, env)
        results["rss_mb"] = server.peak_rss_mb()
    finally:
        server.stop()

    # 2. The same statement with 1,000,000 signatures and 1,000,000 pledges.
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "-c", FILL, "aleppo-strike-2016", "999000", "990111"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print(
        f"filled 1,000,000 signatures and pledges in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    server = Server(env, workers)
    try:
        results["page_ms_1m"] = page_ms(server.url + page_path, env)
        results["rss_mb"] = max(results["rss_mb"], server.peak_rss_mb())
    finally:
        server.stop()

    # 3. PostgreSQL, when it is there.
    try:
        admin = POSTGRES.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as pg:
            pg.execute("DROP DATABASE IF EXISTS tadamun_bench")
            pg.execute("CREATE DATABASE tadamun_bench")
        pg_env = environment(DATABASE_URL=POSTGRES, **LIMITS)
        manage(pg_env, "migrate", "--noinput")
        manage(pg_env, "load_demo")
        server = Server(pg_env, workers)
        try:
            rate, run = signon_rate(server, pg_env, workdir)
            results["signon_per_s_postgres"] = rate
            results["signon_p99_ms_postgres"] = run["p99_ms"]
            print(f"  signon_per_s_postgres {rate:.0f}", flush=True)
        finally:
            server.stop()
    except Exception as error:  # noqa: BLE001 - the figure is reported missing, with why
        results["signon_per_s_postgres"] = None
        results["postgres_error"] = str(error)

    results["page_vs_nginx"] = results["page_rps"] / results["nginx_rps"]
    results["proxy_vs_nginx"] = results["page_proxy_rps"] / results["nginx_rps"]
    results["signon_vs_hello"] = results["signon_per_s_sqlite"] / results["hello_rps"]
    results["growth_1m_vs_1k"] = results["page_ms_1m"] / results["page_ms_1k"]
    (ROOT / "bench-results.json").write_text(json.dumps(results, indent=2) + "\n")
    print()
    goals = {
        "page_vs_nginx": ">= 0.25",
        "proxy_vs_nginx": ">= 0.8",
        "signon_vs_hello": ">= 0.35",
        "signon_per_s_sqlite": ">= 1000",
        "growth_1m_vs_1k": "<= 1.1",
        "rss_mb": "<= 120",
    }
    for key, value in results.items():
        if key == "postgres_error":
            continue
        shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
        print(f"{key:24} {shown:>14}   {goals.get(key, '')}")
    if results.get("postgres_error"):
        print(f"PostgreSQL not measured: {results['postgres_error']}")
    print(f"\nwritten to {ROOT / 'bench-results.json'}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
