"""Pages under load, against a bare Flask "hello" on the same server (not a test; prints figures).

    .venv/bin/python bench/web.py [--seconds 5] [--connections 16] [--workers 2]
        [--worker-class sync|gthread --threads N] [--keep DIR] [--only PAGE …] [--profile]
        [--rendered]

Seeds a temporary instance (the demo town, then 300 stream posts, 200 wiki pages and a wiki
page and a blog post with 40 comments and 20 likes each), starts gunicorn twice on free
loopback ports — the app, and a bare Flask "hello" with the same worker settings — signs in as
a colleague and loads each main page with ``wrk`` (a Python load generator with one thread per
connection when wrk is absent). Prints req/s, p50 and p99 latency and the ratio to hello
(measured before and after the pages in the same run), and the server's CPU time per request
with its ratio to hello's, which moves much less with the machine's other load. Stops its
servers; bounded in time. By default a page seen again is served as kept (app/pagecache.py);
``--rendered`` renders every view, as the first view after any write.

On the idle 2-core machine (2026-12-07, 2 sync workers, hello ~4,400 req/s): kept pages
628-842 req/s (0.137-0.205 × hello, 2.2-3.4 ms CPU each); rendered 58-157 req/s
(0.014-0.036 ×, 12-34 ms CPU).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
COLLEAGUE = "anna.schmidt"

# gunicorn imports this module for the bare "hello" (``bench.web:hello``).
hello = Flask("hello")


@hello.route("/")
def say_hello() -> str:
    return "Hello, World!"


def seed(instance: Path) -> None:
    """Fill the instance: the demo town and more (the index is built once at the end)."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from app import create_app
    from app.accounts.models import User
    from app.extensions import db
    from app.microblog import service as microblog
    from app.social import service as social
    from app.wiki import service as wiki

    app = create_app({"SEARCH_DRAIN": "worker"}, instance_path=str(instance))
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        people = list(db.session.scalars(select(User).order_by(User.id)))
        reader = next(person for person in people if person.username == COLLEAGUE)
        for number in range(300):
            author = people[number % len(people)]
            body = f"Kurze Notiz {number} aus dem Rathaus #e-akte @{COLLEAGUE}"
            microblog.create_post(author, microblog.NewPost(body=body))
        for number in range(200):
            wiki.create_page(
                people[number % len(people)],
                wiki.NewPage(title=f"Verfahren {number}", body="Ein Absatz.\n" * 30),
            )
        page = wiki.create_page(
            reader,
            wiki.NewPage(
                title="Bauantrag digital",
                body="## Ablauf\n\n" + "Ein Absatz über [[Verfahren 1]].\n\n" * 40,
                tags="bauamt digital",
            ),
        )
        post = readable_post(reader)
        for target in (f"wiki_page:{page.id}", f"blog_post:{post.id}"):
            for number in range(40):
                author = people[number % len(people)]
                social.add_comment(author, social.NewComment(target=target, body=f"Gut {number}"))
            for person in people[:20]:
                social.like(person, target)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["search", "reindex"])
        assert result.exit_code == 0, result.output


def readable_post(reader):
    """The newest published blog post ``reader`` may read (the demo town's newest may sit in
    a members-only space)."""
    from sqlalchemy import select

    from app.blog.models import Post
    from app.extensions import db
    from app.spaces import policy

    query = select(Post).where(policy.readable_posts(reader, Post, published_only=True))
    return db.session.scalar(query.order_by(Post.id.desc()).limit(1))


def pages_of(instance: Path) -> dict[str, str]:
    """The pages to load, name -> path."""
    from sqlalchemy import select

    from app import create_app
    from app.accounts.models import User
    from app.extensions import db
    from app.wiki.models import Page

    app = create_app({"SEARCH_DRAIN": "worker"}, instance_path=str(instance))
    with app.app_context():
        page = db.session.scalar(select(Page).where(Page.title == "Bauantrag digital"))
        reader = db.session.scalar(select(User).where(User.username == COLLEAGUE))
        post = readable_post(reader)
        return {
            "home": "/",
            "wiki page": page.url,
            "stream": "/stream/",
            "blog post": post.url,
            "profile": f"/people/{COLLEAGUE}",
            "directory": "/people/",
            "search": "/search?q=" + urllib.parse.quote("bauantrag"),
        }


def profile(instance: Path, pages: dict[str, str], only: list[str] | None, stats: bool) -> None:
    """In-process, through the test client: statements per page, CPU time per page (the
    minimum of 30 is steady on a busy machine) and, with ``stats``, the statements and the
    functions that take the time (cProfile; BENCH_SORT=cumulative to sort otherwise)."""
    import cProfile
    import pstats

    from sqlalchemy import event, select

    from app import create_app
    from app.accounts import sessions
    from app.accounts.models import User
    from app.extensions import db

    app = create_app({"SEARCH_DRAIN": "worker"}, instance_path=str(instance))
    client = app.test_client()
    with app.app_context():
        reader = db.session.scalar(select(User).where(User.username == COLLEAGUE))
        # A session names an open sign-in, as the sign-in form would have begun it.
        sessions.begin(reader, "127.0.0.1", remember=False)
        with client.session_transaction() as session:
            session["_user_id"] = reader.get_id()
            session["_fresh"] = True
        statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for name, path in pages.items():
        if only and name not in only:
            continue
        client.get(path)
        statements.clear()
        assert client.get(path).status_code == 200
        count = len(statements)
        cpu, wall = [], []
        for _ in range(30):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        print(
            f"== {name}: {count} statements, CPU min {min(cpu) * 1000:.1f} ms "
            f"median {statistics.median(cpu) * 1000:.1f} ms, wall median "
            f"{statistics.median(wall) * 1000:.1f} ms"
        )
        if not stats:
            continue
        for statement in statements[:count]:
            print("   ", " ".join(statement.split())[:400])
        profiler = cProfile.Profile()
        for _ in range(20):
            profiler.enable()
            client.get(path)
            profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(25)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(target: str, port: int, args, env: dict[str, str]) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        target,
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    stop(server)
    raise SystemExit(f"gunicorn for {target} did not start ({server.returncode})")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def request(port: int, method: str, path: str, cookie: str = "", body: str = ""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response, text


def sign_in(port: int, password: str) -> str:
    """Sign in as the colleague through the form; return the session cookie header."""
    response, text = request(port, "GET", "/login")
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text).group(1)
    form = urllib.parse.urlencode(
        {"csrf_token": token, "username": COLLEAGUE, "password": password}
    )
    response, _text = request(port, "POST", "/login", cookie, form)
    assert response.status in (302, 303), f"sign-in failed: {response.status}"
    return response.getheader("Set-Cookie", "").split(";")[0] or cookie


def load_with_wrk(url: str, cookie: str, args) -> tuple[float, float, float, int]:
    command = ["wrk", f"-t{min(2, args.connections)}", f"-c{args.connections}"]
    command += [f"-d{args.seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=args.seconds + 30, check=True
    ).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"{url} answered errors under load:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return rate, _wrk_ms(output, "50%"), _wrk_ms(output, "99%"), requests


def _wrk_ms(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load_with_python(port: int, path: str, cookie: str, args) -> tuple[float, float, float, int]:
    """One thread per connection, each with a kept-alive connection, for ``seconds``."""
    latencies: list[float] = []
    failures: list[int] = []
    deadline = time.monotonic() + args.seconds
    headers = {"Cookie": cookie} if cookie else {}

    def run() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                failures.append(response.status)
        latencies.extend(mine)
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(args.connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{path} answered {failures[0]} under load")
    cuts = statistics.quantiles(latencies, n=100)
    rate = len(latencies) / (time.monotonic() - started)
    return rate, cuts[49] * 1000, cuts[98] * 1000, len(latencies)


def measure(server: subprocess.Popen, port: int, path: str, cookie: str, args) -> tuple:
    """req/s, p50 ms, p99 ms, and the server's CPU ms per request (its workers' user and
    system time): on a busy machine the rates move with the neighbours' load, CPU per
    request much less."""
    cpu_before = server_cpu_seconds(server.pid)
    if args.python or shutil.which("wrk") is None:
        rate, p50, p99, requests = load_with_python(port, path, cookie, args)
    else:
        rate, p50, p99, requests = load_with_wrk(f"http://127.0.0.1:{port}{path}", cookie, args)
    cpu = server_cpu_seconds(server.pid) - cpu_before
    return rate, p50, p99, cpu * 1000 / max(requests, 1)


def server_cpu_seconds(master: int) -> float:
    """User and system time of gunicorn's master and workers so far (Linux /proc), workers
    that gunicorn replaced (``max_requests``) included through the master's children's
    time."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended meanwhile
        pid, ppid = int(stat.parent.name), int(fields[1])
        if master in (pid, ppid):
            total += (int(fields[11]) + int(fields[12])) / ticks
        if pid == master:
            total += (int(fields[13]) + int(fields[14])) / ticks
    return total


def main() -> None:
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--python", action="store_true", help="Python load generator, not wrk")
    parser.add_argument("--only", nargs="*", help="page names to load (default: all)")
    parser.add_argument("--keep", type=Path, help="seed into this folder once and keep it")
    parser.add_argument(
        "--rendered",
        action="store_true",
        help="render every view (no kept pages): what the first view after a change costs",
    )
    parser.add_argument("--profile", action="store_true", help="in-process CPU per page, no load")
    parser.add_argument("--stats", action="store_true", help="with --profile: SQL and cProfile")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-web-"))
    instance = folder / "instance"
    if not (instance / "demo-credentials.txt").exists():
        started = time.perf_counter()
        seed(instance)
        print(f"seeded in {time.perf_counter() - started:.0f} s")
    pages = pages_of(instance)
    password = (instance / "demo-credentials.txt").read_text().split()[1]
    if args.profile:
        profile(instance, pages, args.only, args.stats)
        return
    env = {**os.environ, "KOLLEGIUM_INSTANCE_PATH": str(instance)}
    if args.rendered:
        env["KOLLEGIUM_PAGE_CACHE_SECONDS"] = "0"
    app_port, hello_port = free_port(), free_port()
    servers = []
    try:
        servers.append(start_gunicorn("wsgi:app", app_port, args, env))
        servers.append(start_gunicorn("bench.web:hello", hello_port, args, env))
        cookie = sign_in(app_port, password)
        for path in pages.values():  # warm every worker and check each page answers
            for _ in range(2 * args.workers):
                response, _text = request(app_port, "GET", path, cookie)
                assert response.status == 200, f"{path}: {response.status}"
        tool = "python" if args.python or shutil.which("wrk") is None else "wrk"
        print(
            f"{tool}, {args.connections} connections, {args.seconds} s per page, "
            f"gunicorn {args.workers} {args.worker_class} workers × {args.threads} threads, "
            + ("every view rendered" if args.rendered else "pages kept per browser")
        )
        app_server, hello_server = servers
        hello_before = measure(hello_server, hello_port, "/", "", args)
        figures = {}
        for name, path in pages.items():
            if args.only and name not in args.only:
                continue
            figures[name] = measure(app_server, app_port, path, cookie, args)
        hello_after = measure(hello_server, hello_port, "/", "", args)
    finally:
        for server in servers:
            stop(server)
    hello_rate = (hello_before[0] + hello_after[0]) / 2
    hello_cpu = (hello_before[3] + hello_after[3]) / 2
    print(f"{'page':<12} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'× hello':>8}", end="")
    print(f" {'CPU ms/req':>11} {'× hello CPU':>12}")
    rows = [("hello", hello_before), *figures.items(), ("hello again", hello_after)]
    for name, (rate, p50, p99, cpu) in rows:
        print(f"{name:<12} {rate:7.0f} {p50:8.1f} {p99:8.1f} {rate / hello_rate:8.3f}", end="")
        print(f" {cpu:11.2f} {hello_cpu / cpu if cpu else 0:12.3f}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
