"""Login, roles, failed-login limits and security headers (issue 13, items 9 and 10)."""

from __future__ import annotations

import dataclasses
import logging

import httpx
import pytest
from helpers import form_filters, served

from assistant.server.app import _ShortAccessLog
from assistant.server.auth import (
    Access,
    LoginLimiter,
    add_token,
    add_user,
    allows,
    find_token,
    hash_password,
    read_tokens,
    read_users,
    remove_user,
    verify_password,
)

MOTION_Q = "Wat is de status van motie 2106-18?"
PASSWORD = "geheim-wachtwoord"


# ---- users file, tokens, roles (no server) ---------------------------------------------------------------


def test_users_file_holds_bcrypt_hashes_and_roles(tmp_path):
    users = tmp_path / "users.txt"
    assert add_user(users, "anna", PASSWORD, "raadslid") is False
    assert add_user(users, "bea", PASSWORD, "beheerder") is False
    text = users.read_text()
    assert PASSWORD not in text and "anna:raadslid:$2b$" in text
    assert users.stat().st_mode & 0o077 == 0  # only the owner can read it
    read = read_users(users)
    assert {u.name: u.role for u in read.values()} == {"anna": "raadslid", "bea": "beheerder"}
    assert verify_password(read["anna"], PASSWORD) and not verify_password(read["anna"], "fout-wachtwoord")
    assert not verify_password(None, PASSWORD) and not verify_password(read["anna"], "x" * 100)
    assert add_user(users, "anna", "nieuw-wachtwoord", "medewerker") is True  # replaced, not added
    read = read_users(users)
    assert len(read) == 2 and read["anna"].role == "medewerker" and verify_password(read["anna"], "nieuw-wachtwoord")
    assert remove_user(users, "anna") and not remove_user(users, "anna") and set(read_users(users)) == {"bea"}


def test_bad_users_and_passwords_are_refused_in_dutch(tmp_path):
    users = tmp_path / "users.txt"
    with pytest.raises(ValueError, match="te kort"):
        add_user(users, "anna", "kort", "raadslid")
    with pytest.raises(ValueError, match="te lang"):
        hash_password("é" * 40)  # 80 bytes: bcrypt would ignore the end
    with pytest.raises(ValueError, match="gebruikersnaam"):
        add_user(users, "an na", PASSWORD)
    with pytest.raises(ValueError, match="rol"):
        add_user(users, "anna", PASSWORD, "koning")
    users.write_text("alleen-een-naam\n")
    with pytest.raises(ValueError, match="regel 1"):
        read_users(users)
    users.write_text("# niemand\n")
    with pytest.raises(ValueError, match="geen gebruikers"):
        read_users(users)


def test_old_plain_text_lines_still_work_with_a_warning(tmp_path, caplog):
    users = tmp_path / "users.txt"
    users.write_text("# raadsleden\n\nanna: geheim123 \nbob:p:met:dubbelepunt\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        read = read_users(users)
    assert {u.role for u in read.values()} == {"medewerker"}
    assert verify_password(read["bob"], "p:met:dubbelepunt") and not verify_password(read["anna"], "geheim1234")
    assert "onversleuteld" in caplog.text and "geheim123" not in caplog.text


def test_api_tokens_are_stored_as_digests(tmp_path):
    path = tmp_path / "tokens.txt"
    token = add_token(path, "openwebui", "raadslid")
    assert token not in path.read_text() and "openwebui:raadslid:sha256:" in path.read_text()
    with path.open("a") as fh:
        fh.write("script:medewerker:een-lang-genoeg-plain-token\n")
    tokens = read_tokens(path)
    assert find_token(tokens, token).name == "openwebui"
    assert find_token(tokens, "een-lang-genoeg-plain-token").role == "medewerker"
    assert find_token(tokens, token[:-1]) is None and find_token(tokens, "") is None
    path.write_text("x:raadslid:kort\n")
    with pytest.raises(ValueError, match="regel 1"):
        read_tokens(path)


def test_role_rights():
    assert allows("raadslid", "chat") and allows("raadslid", "search") and not allows("raadslid", "records")
    assert allows("medewerker", "export") and not allows("medewerker", "admin")
    assert allows("beheerder", "admin") and not allows(None, "chat") and not allows("gast", "chat")
    assert Access().role_of(None) == "beheerder"  # nothing configured: nothing checked


def test_login_limiter_per_key_and_window():
    now = [0.0]
    limiter = LoginLimiter(failures=5, window=60, clock=lambda: now[0])
    for _ in range(4):
        limiter.failed("user:anna", "addr:1")
    assert limiter.retry_after("user:anna") == 0
    limiter.failed("user:anna", "addr:1")
    assert limiter.retry_after("user:anna") == pytest.approx(60) and limiter.retry_after("addr:1") > 0
    assert limiter.retry_after("user:bob") == 0
    now[0] = 61
    assert limiter.retry_after("user:anna", "addr:1") == 0
    limiter.failed("user:anna")
    limiter.succeeded("user:anna")
    assert limiter.retry_after("user:anna") == 0


def test_gradio_event_guard_keeps_the_handler_kind():
    import asyncio
    import inspect
    from types import SimpleNamespace

    import gradio as gr

    from assistant.server.auth import User
    from assistant.server.gradio_roles import _guarded

    access = Access(users={"anna": User("anna", "raadslid", "$2b$"), "mo": User("mo", "medewerker", "$2b$")})
    anna, mo = SimpleNamespace(username="anna"), SimpleNamespace(username="mo")

    def plain(x):
        return x * 2

    def gen(x):
        yield x
        yield x + 1

    async def coro(x):
        return x + 3

    g = _guarded(plain, "records", access, 1, documented=False)
    assert list(inspect.signature(g).parameters) == ["request", "x"]
    assert g(mo, 2) == 4 and g(anna, 2) == gr.update()  # a screen event: outputs left as they are
    g = _guarded(gen, "records", access, 2, documented=False)
    assert inspect.isgeneratorfunction(g) and list(g(mo, 1)) == [1, 2] and list(g(anna, 1)) == [(gr.update(), gr.update())]
    g = _guarded(coro, "records", access, 1, documented=True)
    assert inspect.iscoroutinefunction(g) and asyncio.run(g(mo, 1)) == 4
    with pytest.raises(gr.Error, match="Geen toegang"):
        asyncio.run(g(anna, 1))
    assert _guarded(plain, "chat", access, 1, documented=True)(anna, 1) == 2


def test_access_log_cuts_long_targets():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:1", "GET", "/api/search?q=" + "jeugd" * 500, "1.1", 200),
        None,
    )
    _ShortAccessLog().filter(record)
    assert len(record.getMessage()) < 300 and "…" in record.getMessage()


# ---- a served app with users and roles ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def users_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("auth") / "users.txt"
    for name, role in (("anna", "raadslid"), ("mo", "medewerker"), ("bea", "beheerder")):
        add_user(path, name, PASSWORD, role)
    with path.open("a") as fh:
        fh.write("oud:oud-wachtwoord\n")  # the old plain format
    return path


@pytest.fixture(scope="module")
def site(bot, seed_settings, users_file):
    with served(bot, seed_settings, auth_file=str(users_file)) as url:
        yield url


def login(url: str, name: str, password: str = PASSWORD) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    r = client.post("/login", data={"username": name, "password": password})
    assert r.status_code == 200, r.text
    return client


@pytest.mark.slow
def test_every_endpoint_needs_a_login(site):
    schema = httpx.get(site + "/openapi.json").json()
    routes = [(method, path) for path, ops in schema["paths"].items() for method in ops]
    assert len(routes) >= 13
    for method, path in routes:  # every route of /api and /v1, also when called with bad input
        r = httpx.request(method, site + path.replace("{", "").replace("}", ""), json={})
        assert r.status_code == 401, (method, path, r.status_code)
    r = httpx.post(site + "/gradio_api/call/ask", json={"data": [MOTION_Q]})
    assert r.status_code == 401
    assert httpx.post(site + "/login", data={"username": "anna", "password": "fout-wachtwoord"}).status_code == 400


@pytest.mark.slow
def test_roles_on_rest_with_the_web_login(site):
    anna, mo = login(site, "anna"), login(site, "mo")
    assert anna.get("/api/search", params={"q": "jeugd"}).status_code == 200
    assert anna.post("/api/ask", json={"question": MOTION_Q}).json()["answered"]
    denied = anna.get("/api/motions")
    assert denied.status_code == 403 and "Geen toegang" in denied.json()["detail"]
    assert anna.get("/api/measures").status_code == 403
    assert mo.get("/api/motions").status_code == 200 and mo.get("/api/measures").status_code == 200
    assert login(site, "oud", "oud-wachtwoord").get("/api/motions").status_code == 200  # legacy = medewerker
    # the login cookie does not work for a POST sent from another website (cross-site request)
    evil = anna.post("/api/ask", json={"question": MOTION_Q}, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403 and "andere website" in evil.json()["detail"]
    assert anna.post("/api/ask", json={"question": MOTION_Q}, headers={"Origin": site}).status_code == 200


@pytest.mark.slow
def test_roles_on_the_gradio_api(site):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    anna = Client(site + "/", auth=("anna", PASSWORD), verbose=False)
    assert anna.predict(MOTION_Q, [], api_name="/ask")["answered"]
    assert anna.predict("jeugd", 3, api_name="/search")
    with pytest.raises(AppError, match="Geen toegang"):
        anna.predict("", "open", api_name="/motions")
    with pytest.raises(AppError, match="Geen toegang"):
        anna.predict(api_name="/measures")
    mo = Client(site + "/", auth=("mo", PASSWORD), verbose=False, download_files=False)
    assert mo.predict("", "open", api_name="/motions")
    # the CSV export of a search (written only when asked): the medewerker may download it, the raadslid may not
    mo.predict("jeugd", 5, *form_filters(), api_name="/ui_search")
    csv = mo.predict(api_name="/ui_search_csv")
    csv = csv.get("value", csv) if isinstance(csv, dict) else csv
    link = csv["url"] if isinstance(csv, dict) else csv
    path = "/gradio_api/" + link.split("/gradio_api/", 1)[1]
    assert login(site, "mo").get(path).status_code == 200
    assert login(site, "anna").get(path).status_code == 403
    anna.predict("jeugd", 5, *form_filters(), api_name="/ui_search")
    refused = anna.predict(api_name="/ui_search_csv")  # a screen event: refused by leaving the output empty
    assert "gradio_api/file" not in str(refused)


@pytest.mark.slow
def test_security_headers_on_every_response(site):
    anna = login(site, "anna")
    for r in (
        httpx.get(site + "/"),
        httpx.get(site + "/api/documents"),
        anna.get("/api/documents"),
        anna.get("/bestaat-niet"),
        anna.get("/gradio_api/info"),
        httpx.post(site + "/login", data={}),
    ):
        assert r.headers["x-frame-options"] == "DENY", r.url
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


@pytest.mark.slow
def test_failed_logins_are_limited_per_user_and_address(bot, seed_settings, users_file, caplog):
    with served(bot, seed_settings, auth_file=str(users_file)) as url:
        with caplog.at_level(logging.WARNING):
            for _ in range(5):
                r = httpx.post(url + "/login", data={"username": "anna", "password": "fout-" + "x" * 500})
                assert r.status_code == 400
            blocked = httpx.post(url + "/login", data={"username": "anna", "password": PASSWORD})
            assert blocked.status_code == 429 and "Te veel mislukte inlogpogingen" in blocked.json()["detail"]
            assert int(blocked.headers["retry-after"]) > 0
            # the address is blocked too: guessing other names from it does not help
            assert httpx.post(url + "/login", data={"username": "mo", "password": PASSWORD}).status_code == 429
            long_name = "n" * 5000
            httpx.post(url + "/login", data={"username": long_name, "password": "x"})
        assert "mislukte inlogpoging" in caplog.text and "x" * 100 not in caplog.text
        assert long_name not in caplog.text  # user input is cut short in the log


@pytest.mark.slow
def test_bad_tokens_are_limited_per_address(bot, seed_settings, tmp_path):
    tokens = tmp_path / "tokens.txt"
    good = add_token(tokens, "script", "medewerker")
    settings = dataclasses.replace(seed_settings, ui=dataclasses.replace(seed_settings.ui, api_tokens=str(tokens)))
    with served(bot, settings) as url:
        assert httpx.get(url + "/api/motions", headers={"Authorization": f"Bearer {good}"}).status_code == 200
        for _ in range(5):
            assert httpx.get(url + "/api/motions", headers={"Authorization": "Bearer geraden"}).status_code == 401
        assert httpx.get(url + "/api/motions", headers={"Authorization": f"Bearer {good}"}).status_code == 429


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.slow
def test_browser_login_chat_and_roles_under_the_csp(site):
    """The real page in Chromium with the CSP on: login, an answer with sources, no CSP violation in
    the console; the raadslid's staff tabs are disabled and the search export hidden."""
    import os
    import time

    if not os.path.exists(CHROMIUM):
        pytest.skip("/usr/bin/chromium ontbreekt")
    sync_api = pytest.importorskip("playwright.sync_api")
    seen = {}
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            for name in ("anna", "mo"):
                page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                page.set_default_timeout(30_000)
                console = []
                page.on("console", lambda m, c=console: c.append(m.text) if m.type == "error" else None)
                page.goto(site + "/", wait_until="load")
                page.locator("input[type=text]").fill(name)
                page.locator("input[type=password]").fill(PASSWORD)
                page.get_by_role("button", name="Login").click()
                page.locator("#vraag textarea").fill(MOTION_Q)
                page.click("#verstuur")
                page.locator("#bronnen", has_text="2106-18").wait_for()  # gr.HTML renders under the CSP
                time.sleep(0.5)  # the page-load role update
                tabs = {t.inner_text(): t.get_attribute("aria-disabled") for t in page.locator("[role=tab]").all()}
                page.get_by_role("tab", name="Zoeken").click()
                export = page.get_by_text("Exporteer als CSV")
                seen[name] = (tabs, export.count() and export.first.is_visible(), console)
        finally:
            browser.close()
    for name, (_tabs, _export, console) in seen.items():
        assert not [c for c in console if "Content Security Policy" in c], (name, console[:3])
    assert seen["anna"][0]["Moties"] == "true" and seen["anna"][0]["Zoeken"] == "false" and not seen["anna"][1]
    assert seen["mo"][0]["Moties"] == "false" and seen["mo"][1]
    # adding documents: the medewerker's tab, not the raadslid's
    assert seen["anna"][0]["Documenten toevoegen"] == "true" and seen["mo"][0]["Documenten toevoegen"] == "false"


@pytest.mark.slow
def test_admin_endpoints_only_for_beheerder(site, bot):
    anna, mo, bea = login(site, "anna"), login(site, "mo"), login(site, "bea")
    assert mo.get("/api/admin/users").status_code == 403 and anna.post("/api/admin/reindex").status_code == 403
    users = {u["name"]: (u["role"], u["hashed"]) for u in bea.get("/api/admin/users").json()}
    assert users == {
        "anna": ("raadslid", True),
        "mo": ("medewerker", True),
        "bea": ("beheerder", True),
        "oud": ("medewerker", False),
    }
    r = bea.post("/api/admin/reindex", timeout=600)  # the corpus is unchanged: nothing is embedded
    assert r.status_code == 200, r.text
    assert r.json()["unchanged"] is True and r.json()["passages"] == len(bot.index.passages)
