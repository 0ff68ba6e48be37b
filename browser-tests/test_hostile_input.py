"""Hostile input is harmless: text that tries to run script — script tags, event handlers, `javascript:` and
`data:` links, attribute and element break-outs, template syntax, Markdown autolinks and HTML blocks, encoded
variants — is typed into every text field a person can fill in (profile, posts and replies, communities and
their discussions, articles, wiki pages, resources, comments and feature notes, questions, answers, their
comments and forwards, collections, server settings, an app's name and website, search and filter boxes) and
then read back on every page it shows up on, by several people.

Every page is loaded in Chromium with the Content-Security-Policy switched off, so that the test checks
Pollen's escaping, not its CSP: on every page no dialog may open, `window.__xss` (which every payload would
increment) stays undefined, and the DOM holds no script, event-handler attribute, `javascript:`/`data:` URL,
frame, style or foreign image that the text could have planted. Where the text belongs on a page it must be
visible as text, and every page (error pages too) must still carry a Content-Security-Policy that forbids
inline script, as a second line of defence. A second test runs the same checks on pages that do paste the
payloads in unescaped, and expects them to catch every one: the checks can fail.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Iterator

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect

from tests_support.browsing import DEFAULT_TIMEOUT_MS, follow, main, sign_in
from tests_support.pollen_server import PollenServer

PASSWORD = "hostile-pass-123"
OOB = "urn:ietf:wg:oauth:2.0:oob"
TIMEOUT = 30

MARK = "XSSMARK"
RUN = "window.__xss=(window.__xss||0)+1"
# A word to search for next to the payloads.
WORD = "quokkaword"

# One-line payloads, for names, titles, notes and queries (each within 80 characters, the shortest limit).
LINE = [
    f'"><script>{RUN}</script>{MARK}L0',
    f"'><img src=x onerror={RUN}>{MARK}L1",
    f"</textarea><svg onload={RUN}>{MARK}L2",
    f"{MARK}L3'-alert(3)-'\"-alert(3)-\"",
    f"{{{{#layout}}}}{{{{{{csrf}}}}}}{{{{/layout}}}}{{{{> head}}}}{MARK}L4",
    f"</title><iframe src=javascript:alert(5)>{MARK}L5",
    f"<a href=javascript:{RUN}>{MARK}L6</a><style>",
]
for line in LINE:
    assert len(line) <= 80, line


@dataclass(frozen=True)
class Markdown:
    """A Markdown payload and the text a reader must see where it is rendered."""
    source: str
    visible: str


# Multi-line payloads for Markdown fields (posts, replies, comments, bodies, answers, charters). The ones that
# are Markdown (links, images, code) come first: a raw HTML block (shown as text) can run to the end of the text.
MARKDOWN = [
    Markdown(f"[{MARK}M04 js link](javascript:{RUN})", f"[{MARK}M04 js link](javascript:{RUN})"),
    Markdown(f"[{MARK}M05 mixed case](JaVaScRiPt:{RUN})", f"[{MARK}M05 mixed case](JaVaScRiPt:{RUN})"),
    Markdown(f"[{MARK}M06 entity](&#106;avascript:{RUN})", f"[{MARK}M06 entity](&#106;avascript:{RUN})"),
    Markdown(f"[{MARK}M07 data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
             f"[{MARK}M07 data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    # A quote in a link's address must not end the href attribute.
    Markdown(f'[{MARK}M08 quote](https://example.com/" onmouseover="{RUN})', f"{MARK}M08 quote"),
    Markdown(f'[{MARK}M09 tag](https://example.com/?q="><svg onload={RUN}>)', f"{MARK}M09 tag"),
    Markdown(f'![{MARK}M10" onerror="{RUN}](https://example.com/x.png)', f'image: {MARK}M10" onerror="{RUN}'),
    Markdown(f"[{MARK}M20 ref][evil]\n\n[evil]: https://example.com/\"><svg onload={RUN}>", f"{MARK}M20 ref"),
    Markdown(f"[{MARK}M24 tab](java\tscript:{RUN}) [{MARK}M24 space]( javascript:{RUN})",
             f"[{MARK}M24 tab](java script:{RUN}) [{MARK}M24 space]( javascript:{RUN})"),
    Markdown(f"{{{{layout.csrf}}}} {{{{{{html}}}}}} {{{{> head}}}} {MARK}M14", f"{{{{layout.csrf}}}} {{{{{{html}}}}}} {{{{> head}}}} {MARK}M14"),
    Markdown(f"`<script>{RUN}</script>` {MARK}M16", f"<script>{RUN}</script> {MARK}M16"),
    Markdown(f"```html\n<script>{RUN}</script><!-- {MARK}M17 -->\n```", f"<script>{RUN}</script><!-- {MARK}M17 -->"),
    # In Markdown text an entity stands for its character, `__` makes bold and `\\u` is an escaped `u`.
    Markdown(f"&lt;script&gt;{RUN}&lt;/script&gt; %3Cscript%3E \\u003cscript\\u003e {MARK}M19",
             f"<script>{RUN.replace('__', '')}</script> %3Cscript%3E u003cscriptu003e {MARK}M19"),
    Markdown(f'javascript:{RUN} https://example.com/{MARK}M23"onmouseover="{RUN}',
             f'javascript:{RUN.replace("__", "")} https://example.com/{MARK}M23"onmouseover="{RUN.replace("__", "")}'),
    Markdown(f'"><script>{RUN}</script>{MARK}M12', f'"><script>{RUN}</script>{MARK}M12'),
    # Raw HTML, shown as text.
    Markdown(f"</textarea><script>{RUN}</script>{MARK}M13", f"</textarea><script>{RUN}</script>{MARK}M13"),
    Markdown(f"<script>{RUN}</script> {MARK}M01", f"<script>{RUN}</script> {MARK}M01"),
    Markdown(f'<svg onload="{RUN}"></svg> {MARK}M03', f'<svg onload="{RUN}"></svg> {MARK}M03'),
    Markdown(f'<a href="javascript:{RUN}">{MARK}M15</a>', f'<a href="javascript:{RUN}">{MARK}M15</a>'),
    Markdown(f'<iframe src="javascript:{RUN}"></iframe>{MARK}M18', f'<iframe src="javascript:{RUN}"></iframe>{MARK}M18'),
    Markdown(f'<style>body{{display:none}}</style><details open ontoggle="{RUN}">{MARK}M21</details>',
             f'<style>body{{display:none}}</style><details open ontoggle="{RUN}">{MARK}M21</details>'),
    Markdown(f'<https://example.com/{MARK}M11"onmouseover="{RUN}>', f'<https://example.com/{MARK}M11"onmouseover="{RUN}>'),
    Markdown(f'<math><mtext><table><mglyph><style><img src=x onerror="{RUN}">{MARK}M22',
             f'<math><mtext><table><mglyph><style><img src=x onerror="{RUN}">{MARK}M22'),
    Markdown(f'<img src=x onerror="{RUN}"> {MARK}M02', f'<img src=x onerror="{RUN}"> {MARK}M02'),
]
# A selection for fields of 1,000 to 2,000 characters.
SOME_MARKDOWN = [p for p in MARKDOWN if re.search(f"{MARK}(M08|M09|M10|M20|M12|M13|M01|M03|M02)\\b", p.source)]


def markdown_text(payloads: list[Markdown], extra: str = "") -> str:
    """The payloads as paragraphs after a search word (and `extra`: a hashtag, a mention)."""
    return "\n\n".join([f"{WORD} {extra}".strip(), *(p.source for p in payloads)])


# The checks every page must pass: returns what the page's text planted, if anything.
CHECK_PAGE_JS = """
(mark) => {
  const problems = [];
  if (typeof window.__xss !== "undefined") problems.push("window.__xss = " + window.__xss);
  const ownScript = (s) => s.getAttribute("src") === "/static/pollen.js" && !s.textContent.trim();
  for (const s of document.querySelectorAll("script")) {
    if (!ownScript(s)) problems.push("script element: " + s.outerHTML.slice(0, 160));
  }
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (["iframe", "frame", "object", "embed", "base", "svg", "math", "style", "link", "meta"].includes(tag)
        && !el.closest("head")) {
      problems.push("planted element: " + el.outerHTML.slice(0, 160));
    }
    if (tag === "img" && !(el.getAttribute("src") || "").startsWith("/static/")) {
      problems.push("foreign image: " + el.outerHTML.slice(0, 160));
    }
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value;
      if (name.startsWith("on")) problems.push(`${tag} has ${name}="${value.slice(0, 100)}"`);
      if (name === "style") problems.push(`${tag} has style="${value.slice(0, 100)}"`);
      if (urlAttributes.includes(name)) {
        const squeezed = value.replace(/[\\u0000-\\u0020\\u007f-\\u00a0]/g, "").toLowerCase();
        if (/^(javascript|vbscript|data|livescript):/.test(squeezed)) {
          problems.push(`${tag} has ${name}="${value.slice(0, 100)}"`);
        }
      }
      if (name.includes(mark.toLowerCase())) problems.push(`${tag} has an attribute named ${name}`);
    }
  }
  return problems;
}
"""

# The page's text as a reader sees it, with every disclosure (<details>) opened first.
PAGE_TEXT_JS = """
() => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  return (document.querySelector("main") || document.body).innerText;
}
"""


def squeeze(text: str) -> str:
    """White space as a reader sees it: any run of it is one space."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Findings:
    """What went wrong on which page; the test fails at the end with the whole list."""
    problems: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    pages: int = 0

    def watch(self, page: Page, who: str) -> None:
        def record(dialog: Dialog) -> None:
            self.dialogs.append(f"{who} on {page.url}: {dialog.type} {dialog.message!r}")
            dialog.dismiss()
        page.on("dialog", record)

    def check(self, page: Page, label: str, visible: list[str] = ()) -> None:
        """The page now shown must have run nothing and planted nothing, and show each `visible` text."""
        self.pages += 1
        page.wait_for_load_state("load")
        # Handlers that run late (an image's onerror, a <details> ontoggle) get a moment.
        page.wait_for_timeout(50)
        for problem in page.evaluate(CHECK_PAGE_JS, MARK):
            self.problems.append(f"{label} ({page.url}): {problem}")
        ran_before = page.evaluate("() => window.__xss || 0")
        text = squeeze(page.evaluate(PAGE_TEXT_JS))
        page.wait_for_timeout(20)
        if page.evaluate("() => window.__xss || 0") != ran_before:
            self.problems.append(f"{label} ({page.url}): opening a disclosure ran script")
        for expected in visible:
            if squeeze(expected) not in text:
                self.problems.append(f"{label} ({page.url}): does not show {expected!r} as text")

    def visit(self, page: Page, url: str, label: str, visible: list[str] = (), status: int | None = 200) -> None:
        """Opens `url` (expecting `status`, None for any) and checks the page."""
        response = page.goto(url)
        assert response is not None
        if status is not None and response.status != status:
            self.problems.append(f"{label} ({url}): status {response.status}, expected {status}")
        # Defence in depth: every page, error pages included, forbids inline script (the browser here ignores it).
        policy = response.headers.get("content-security-policy", "")
        if "script-src 'self'" not in policy:
            self.problems.append(f"{label} ({url}): no Content-Security-Policy limiting scripts (got {policy!r})")
        self.check(page, label, visible)


class Api:
    """Pollen's APIs for one member (bearer token)."""

    def __init__(self, server: PollenServer, token: str):
        self.server = server
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, expect: int | tuple[int, ...] = 200, **kwargs: Any) -> Any:
        response = requests.request(method, self.server.url + path, headers=self.headers, timeout=TIMEOUT, **kwargs)
        expected = (expect,) if isinstance(expect, int) else expect
        assert response.status_code in expected, f"{method} {path}: {response.status_code} {response.text[:500]}"
        return response.json() if response.content else None

    def pollen(self, method: str, path: str, expect: int | tuple[int, ...] = 200, **kwargs: Any) -> Any:
        return self.call(method, "/api/pollen/v1" + path, expect, **kwargs)


def member_tokens(server: PollenServer, handles: list[str]) -> dict[str, Api]:
    app = requests.post(f"{server.url}/api/v1/apps", data={
        "client_name": "hostile", "redirect_uris": OOB, "scopes": "read write follow admin:read admin:write"},
        timeout=TIMEOUT).json()
    apis = {}
    for handle in handles:
        grant = requests.post(f"{server.url}/oauth/token", data={
            "grant_type": "password", "username": f"{handle}@example.com", "password": PASSWORD,
            "scope": "read write follow admin:read admin:write" if handle == "ada" else "read write follow",
            "client_id": app["client_id"], "client_secret": app["client_secret"]}, timeout=TIMEOUT)
        assert grant.status_code == 200, grant.text
        apis[handle] = Api(server, grant.json()["access_token"])
    return apis


def browser_for(browser: Browser) -> BrowserContext:
    """A browser that ignores Content-Security-Policy: what the page's markup would run, runs."""
    context = browser.new_context(locale="en-GB", timezone_id="UTC", bypass_csp=True)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


@dataclass
class World:
    """Everything the hostile text went into, by id."""
    post: str = ""
    reply: str = ""
    community: str = "hostile"
    items: dict[str, str] = field(default_factory=dict)
    question: str = ""
    answer: str = ""
    collection: str = ""


NAMES = {"ada": LINE[0], "bob": LINE[1], "cy": LINE[2], "dee": LINE[3]}
TAG_PAYLOAD = f"<script>{RUN}</script>"


def create_content(server: PollenServer, api: dict[str, Api]) -> World:
    """Most of the hostile text goes in through the APIs (the pages' own forms are exercised in the test)."""
    w = World()
    ada, bob, cy, dee = api["ada"], api["bob"], api["cy"], api["dee"]
    # Profiles: every free-text field; tag fields refuse the payload outright.
    for handle, name in NAMES.items():
        if handle == "ada":
            continue  # Ada fills in her profile through the page.
        api[handle].pollen("PATCH", "/me", json={
            "display_name": name, "bio": "\n".join(LINE), "department": LINE[4], "location": LINE[5],
            "job_role": LINE[6], "subjects": ["hostile"], "expertise": ["hostile"]})
    bob.pollen("PATCH", "/me", expect=422, json={"subjects": [TAG_PAYLOAD]})
    bob.pollen("PATCH", "/me", expect=422, json={"expertise": [LINE[0]]})
    # The server's name and description (shown to visitors).
    ada.pollen("PUT", "/admin/settings", json={"name": LINE[5], "description": "\n".join(LINE)})
    # Follows: Ada and Cy follow Bob, Dee follows Cy only (so Bob's question reaches Dee when Cy passes it on).
    ids = {h: ada.call("GET", "/api/v1/accounts/lookup", params={"acct": h})["id"] for h in NAMES}
    for follower, followee in (("ada", "bob"), ("cy", "bob"), ("dee", "cy")):
        api[follower].call("POST", f"/api/v1/accounts/{ids[followee]}/follow")
    # A post with every payload, a hashtag and a mention; an edit (its old text shows in the history); a reply.
    w.post = bob.call("POST", "/api/v1/statuses", data={
        "status": markdown_text(MARKDOWN, "#hostile @ada")})["id"]
    bob.call("PUT", f"/api/v1/statuses/{w.post}", data={
        "status": markdown_text(MARKDOWN, "#hostile @ada (edited)")})
    w.reply = cy.call("POST", "/api/v1/statuses", data={
        "status": markdown_text(SOME_MARKDOWN, "@bob"), "in_reply_to_id": w.post})["id"]
    # A community, its charter, its content of every kind, comments, a feature note and an edit note.
    ada.pollen("POST", "/communities", expect=(200, 201), json={
        "slug": w.community, "name": LINE[6], "kind": "interest", "purpose": markdown_text(SOME_MARKDOWN),
        "guidelines": markdown_text(MARKDOWN), "membership": "open"})
    for handle in ("bob", "cy", "dee"):
        api[handle].pollen("POST", f"/communities/{w.community}/join")
    ada.pollen("PUT", f"/communities/{w.community}/notifications", json={"level": "watching"})
    ada.pollen("POST", "/communities", expect=422, json={
        "slug": f"x{MARK}<script>", "name": "Refused", "kind": "interest", "membership": "open"})
    for kind, title in (("thread", LINE[0]), ("article", LINE[1]), ("wiki", LINE[2]), ("resource", LINE[3])):
        draft: dict[str, Any] = {"type": kind, "title": title, "body": markdown_text(MARKDOWN), "tags": ["hostile"]}
        if kind == "resource":
            # An address with every breakout in it is still an https link; a javascript: one is refused.
            bob.pollen("POST", f"/communities/{w.community}/items", expect=422,
                       json={**draft, "link": f"javascript:{RUN}"})
            draft["link"] = f'https://example.com/{MARK}"><script>{RUN}</script>'
        bob.pollen("POST", f"/communities/{w.community}/items", expect=422, json={**draft, "tags": [TAG_PAYLOAD]})
        w.items[kind] = str(bob.pollen("POST", f"/communities/{w.community}/items", expect=(200, 201), json=draft)["id"])
    for kind, item in w.items.items():
        cy.pollen("POST", f"/items/{item}/comments", expect=(200, 201), json={"body": markdown_text(SOME_MARKDOWN)})
    ada.pollen("POST", f"/items/{w.items['article']}/feature", json={"note": LINE[4]})
    cy.pollen("PATCH", f"/items/{w.items['wiki']}", json={
        "body": markdown_text(MARKDOWN, "edited"), "note": LINE[5]})
    # A question to Ada in the community, an answer, comments on both, an edit, and a forward with a note.
    w.question = str(bob.pollen("POST", "/questions", expect=(200, 201), json={
        "title": LINE[0] + f" {WORD}", "body": markdown_text(MARKDOWN), "tags": ["hostile"], "community": w.community,
        "ask": ["ada"]})["id"])
    bob.pollen("POST", "/questions", expect=422, json={"title": "Refused tags", "tags": [TAG_PAYLOAD]})
    w.answer = str(ada.pollen("POST", f"/questions/{w.question}/answers", expect=(200, 201),
                              json={"body": markdown_text(MARKDOWN)})["id"])
    cy.pollen("POST", f"/questions/{w.question}/comments", expect=(200, 201), json={"body": LINE[1]})
    dee.pollen("POST", f"/questions/{w.question}/comments", expect=(200, 201),
               json={"body": markdown_text(SOME_MARKDOWN), "answer_id": w.answer})
    bob.pollen("PATCH", f"/questions/{w.question}", json={"title": LINE[2] + f" {WORD}",
                                                          "body": markdown_text(MARKDOWN, "edited")})
    cy.pollen("POST", f"/questions/{w.question}/forward", json={"note": LINE[3]})
    # A collection of people to follow.
    w.collection = str(ada.pollen("POST", "/collections", expect=(200, 201), json={
        "title": LINE[4], "description": "\n".join(LINE), "handles": ["bob", "cy"], "tags": ["hostile"]})["id"])
    return w


VISIBLE_MARKDOWN = [p.visible for p in MARKDOWN]
VISIBLE_SOME = [p.visible for p in SOME_MARKDOWN]


def quoted(text: str) -> str:
    return urllib.parse.quote(text, safe="")


@pytest.fixture
def findings() -> Findings:
    return Findings()


@pytest.fixture
def signed_in(browser: Browser, findings: Findings) -> Iterator[dict[str, Page]]:
    """A browser per colleague (CSP off), each watched for dialogs; signed in later, once accounts exist."""
    contexts = {handle: browser_for(browser) for handle in NAMES}
    pages = {handle: context.new_page() for handle, context in contexts.items()}
    for handle, page in pages.items():
        findings.watch(page, handle)
    yield pages
    for context in contexts.values():
        context.close()


def test_hostile_text_is_shown_as_text_everywhere(
        server: PollenServer, browser: Browser, signed_in: dict[str, Page], findings: Findings) -> None:
    server.cli("members", "add", "--handle", "ada", "--email", "ada@example.com", "--name", "Ada",
               "--role", "admin", "--password", PASSWORD)
    # Moderators, so that the limits on what new members may write (links, mentions, pieces a day) leave the
    # payloads alone: escaping does not depend on anyone's role.
    for handle in ("bob", "cy", "dee"):
        server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name",
                   handle.capitalize(), "--password", PASSWORD, "--role", "moderator")
    api = member_tokens(server, list(NAMES))
    w = create_content(server, api)
    url = server.url
    ada, bob, cy, dee = (signed_in[h] for h in ("ada", "bob", "cy", "dee"))

    # A visitor who is not signed in: the server's name and description, the sign-in and sign-up pages.
    visitor_context = browser_for(browser)
    try:
        visitor = visitor_context.new_page()
        findings.watch(visitor, "visitor")
        findings.visit(visitor, url + "/", "landing page")
        findings.visit(visitor, url + "/signin", "sign-in page")
        findings.visit(visitor, url + "/signup", "sign-up page")
        findings.visit(visitor, url + "/signin?next=" + quoted(LINE[0]), "sign-in page with a hostile next")
        findings.visit(visitor, url + "/tags/" + quoted(LINE[1]), "hashtag page for a payload, signed out", status=None)
    finally:
        visitor_context.close()

    for handle, page in signed_in.items():
        sign_in(page, url, handle, PASSWORD)

    # Ada fills in her own profile through the page: a tag field refuses the payload and the form comes back
    # with it (and the error) as text; then everything else is saved.
    ada.goto(url + "/settings/profile")
    form = main(ada)
    form.get_by_label("Display name", exact=True).fill(NAMES["ada"])
    form.get_by_label("Bio", exact=True).fill("\n".join(LINE))
    form.get_by_label("Department", exact=True).fill(LINE[4])
    form.get_by_label("Location", exact=True).fill(LINE[5])
    form.get_by_label("Job role", exact=True).fill(LINE[6])
    form.get_by_label("Subjects", exact=True).fill(TAG_PAYLOAD)
    form.get_by_label("Expertise", exact=True).fill("hostile")
    follow(ada, form.get_by_role("button", name="Save", exact=True))
    findings.check(ada, "profile form refused", visible=[TAG_PAYLOAD])
    expect(main(ada).get_by_label("Display name", exact=True)).to_have_value(NAMES["ada"])
    expect(main(ada).get_by_label("Subjects", exact=True)).to_have_value(TAG_PAYLOAD)
    main(ada).get_by_label("Subjects", exact=True).fill("hostile")
    follow(ada, main(ada).get_by_role("button", name="Save", exact=True))
    findings.check(ada, "profile form saved")
    expect(main(ada).get_by_label("Bio", exact=True)).to_have_value("\n".join(LINE))

    # Ada writes a post in the compose box and a reply on Bob's post, with the payloads in both.
    ada.goto(url + "/")
    main(ada).get_by_label("New post", exact=True).fill(markdown_text(MARKDOWN, "#hostile"))
    follow(ada, main(ada).get_by_role("button", name="Post", exact=True))
    findings.check(ada, "home after posting", visible=VISIBLE_MARKDOWN + [NAMES["ada"], NAMES["bob"]])
    ada.goto(f"{url}/posts/{w.post}")
    reply_form = main(ada).get_by_role("region", name="Write a reply")
    reply_form.get_by_role("textbox").fill(markdown_text(SOME_MARKDOWN, "@bob"))
    follow(ada, reply_form.get_by_role("button"))
    findings.check(ada, "thread after replying", visible=VISIBLE_MARKDOWN + VISIBLE_SOME + [NAMES["bob"]])

    # She searches with the payload in the search box, and for a word next to the payloads.
    ada.goto(url + "/search")
    main(ada).get_by_role("searchbox").fill(LINE[0])
    follow(ada, main(ada).get_by_role("button", name="Search", exact=True))
    findings.check(ada, "search for a payload")
    expect(main(ada).get_by_role("searchbox")).to_have_value(LINE[0])
    findings.visit(ada, f"{url}/search?q={WORD}", "search for a word",
                   visible=[*VISIBLE_MARKDOWN, NAMES["bob"], LINE[0], LINE[2]])

    # She asks a question through the page with the payload as tags: it comes back refused, as text.
    ada.goto(url + "/questions/new")
    ask = main(ada)
    ask.get_by_label("Your question", exact=True).fill(LINE[1])
    ask.get_by_label("Details (Markdown)", exact=True).fill(markdown_text(SOME_MARKDOWN))
    ask.get_by_label("Tags", exact=True).fill(TAG_PAYLOAD)
    follow(ada, ask.get_by_role("button", name="Review", exact=True))
    findings.check(ada, "question review")
    expect(main(ada).get_by_label("Your question", exact=True)).to_have_value(LINE[1])

    # She starts a community through the page with payloads in every field (the address is refused).
    ada.goto(url + "/communities/new")
    start = main(ada)
    start.get_by_label("Name", exact=True).fill(LINE[2])
    start.get_by_label("Address", exact=True).evaluate("el => el.removeAttribute('pattern')")
    start.get_by_label("Address", exact=True).fill(LINE[3][:40])
    start.get_by_role("group", name="Kind").get_by_role("radio").first.check()
    start.get_by_label("Purpose", exact=True).fill(markdown_text(SOME_MARKDOWN))
    start.get_by_label("Guidelines", exact=True).fill(markdown_text(SOME_MARKDOWN))
    start.get_by_role("group", name="Who may join").get_by_role("radio").first.check()
    follow(ada, start.get_by_role("button", name="Start the community", exact=True))
    findings.check(ada, "community form refused")
    expect(main(ada).get_by_label("Name", exact=True)).to_have_value(LINE[2])

    # A new thread in the community through the page, tags refused first.
    ada.goto(f"{url}/c/{w.community}/new?type=thread")
    item_form = main(ada)
    item_form.get_by_label("Title", exact=True).fill(LINE[5])
    item_form.get_by_label(re.compile(r"^Text")).fill(markdown_text(SOME_MARKDOWN))
    item_form.get_by_label("Tags", exact=True).fill(TAG_PAYLOAD)
    follow(ada, item_form.get_by_role("button", name="Publish", exact=True))
    findings.check(ada, "item form refused")
    expect(main(ada).get_by_label("Title", exact=True)).to_have_value(LINE[5])

    # Anyone may register an app: its name and website show on the page where a member authorizes it.
    app = requests.post(f"{url}/api/v1/apps", data={
        "client_name": LINE[0], "redirect_uris": OOB, "scopes": "read", "website": f"javascript:{RUN}"},
        timeout=TIMEOUT).json()
    findings.visit(ada, f"{url}/oauth/authorize?response_type=code&scope=read&redirect_uri={quoted(OOB)}"
                   f"&client_id={app['client_id']}", "authorize an app", [f"Authorize {LINE[0]}?"])
    follow(ada, main(ada).get_by_role("button", name="Authorize", exact=True))
    findings.check(ada, "app authorized")
    findings.visit(ada, f"{url}/settings/sessions", "where you are signed in")

    # The getting-started guide's free-text subjects: refused, and shown back as text.
    ada.goto(f"{url}/welcome?step=1")
    main(ada).get_by_label("Other subjects", exact=True).fill(TAG_PAYLOAD)
    follow(ada, main(ada).get_by_role("button", name="Save subjects and continue", exact=True))
    findings.check(ada, "getting started, subjects refused")

    # Every page the text shows up on, as Ada.
    post_visible = [*VISIBLE_MARKDOWN, NAMES["bob"]]
    pages_for_ada = [
        ("/", "home", post_visible),
        ("/local", "organization timeline", post_visible),
        (f"/posts/{w.post}", "thread", [*post_visible, *VISIBLE_SOME, NAMES["cy"]]),
        ("/@bob", "Bob's profile", [NAMES["bob"], *LINE, *VISIBLE_MARKDOWN]),
        ("/@cy", "Cy's profile", [NAMES["cy"], *VISIBLE_SOME]),
        ("/@ada", "Ada's profile", [NAMES["ada"], *LINE]),
        ("/@bob/followers", "Bob's followers", [NAMES["ada"], NAMES["cy"]]),
        ("/members", "member directory", [NAMES["bob"], NAMES["cy"]]),
        ("/members?q=" + quoted(LINE[0]), "directory search for a payload", []),
        ("/members?department=" + quoted(LINE[4]) + "&location=" + quoted(LINE[5]), "directory by department",
         [NAMES["bob"]]),
        ("/tags/hostile", "hashtag page", post_visible),
        ("/tags/" + quoted(LINE[0]), "hashtag page for a payload", []),
        ("/notifications", "Ada's notifications", [NAMES["bob"], *VISIBLE_MARKDOWN]),
        ("/bookmarks", "bookmarks", []),
        ("/discover", "discover", []),
        ("/explore?department=" + quoted(LINE[4]), "explore by department", []),
        ("/communities", "community directory", [LINE[6]]),
        ("/communities?q=" + quoted(LINE[6]), "community search for a payload", []),
        (f"/c/{w.community}", "community home", [LINE[6], *VISIBLE_SOME, *VISIBLE_MARKDOWN,
                                                  LINE[0], LINE[1], LINE[2], LINE[3], LINE[4]]),
        (f"/c/{w.community}/items", "community items", [LINE[0], LINE[1], LINE[2], LINE[3]]),
        (f"/c/{w.community}/items?type=" + quoted(LINE[0]), "community items of a hostile kind", []),
        (f"/c/{w.community}/members", "community members", [NAMES["bob"], NAMES["cy"]]),
        (f"/c/{w.community}/edit", "community settings", []),
        ("/questions", "questions", []),
        ("/questions?queue=all", "all questions", [LINE[2]]),
        ("/questions?queue=all&tag=" + quoted(LINE[0]) + "&community=" + quoted(LINE[1]), "questions by hostile tag", []),
        (f"/questions/{w.question}", "question", [LINE[2], *VISIBLE_MARKDOWN, LINE[1], *VISIBLE_SOME, NAMES["bob"]]),
        (f"/questions/{w.question}/history", "question history", [LINE[0], LINE[2], *VISIBLE_MARKDOWN]),
        ("/questions/similar?q=" + quoted(WORD), "similar questions (JSON)", []),
        ("/collections", "collections", [LINE[4]]),
        (f"/collections/{w.collection}", "collection", [LINE[4], *LINE, NAMES["bob"], NAMES["cy"]]),
        ("/admin/members", "admin members", [NAMES["bob"]]),
        ("/admin/members?q=" + quoted(LINE[1]), "admin member search", []),
        ("/admin/settings", "admin settings", []),
        ("/settings/follows", "follows import and export", []),
        ("/welcome?step=1", "getting started", []),
        (f"/nowhere/{quoted(LINE[0])}", "not found page", []),
    ]
    for kind, item in w.items.items():
        title = {"thread": LINE[0], "article": LINE[1], "wiki": LINE[2], "resource": LINE[3]}[kind]
        body = [*VISIBLE_MARKDOWN] if kind != "wiki" else [p.visible for p in MARKDOWN]
        extra = [LINE[4]] if kind == "article" else []
        if kind == "resource":
            extra = [f'https://example.com/{MARK}"><script>{RUN}</script>']
        pages_for_ada += [
            (f"/c/{w.community}/items/{item}", f"{kind} page", [title, *body, *VISIBLE_SOME, NAMES["bob"], NAMES["cy"], *extra]),
            (f"/c/{w.community}/items/{item}/history", f"{kind} history", [title]),
            (f"/c/{w.community}/items/{item}/edit", f"{kind} edit form", []),
        ]
    pages_for_ada.append((f"/c/{w.community}/items/{w.items['wiki']}/history", "wiki history notes", [LINE[5]]))
    for path, label, visible in pages_for_ada:
        # A payload in the address may be refused (404, 422): what matters is that the answer is harmless.
        status = 404 if label == "not found page" else None if "payload" in label or "hostile" in label else 200
        findings.visit(ada, url + path, label, visible, status=status)

    # Bob: his notifications (reply, answer, comments), his post's edit page with its old text.
    for path, label, visible in [
        ("/notifications", "Bob's notifications", [NAMES["cy"], NAMES["ada"]]),
        (f"/posts/{w.post}/edit", "post edit form and history", VISIBLE_MARKDOWN),
        (f"/questions/{w.question}/edit", "question edit form", []),
        (f"/questions/{w.question}", "question as its asker", [LINE[2], NAMES["dee"]]),
        ("/settings/profile", "Bob's profile form", []),
    ]:
        findings.visit(bob, url + path, label, visible)
    expect(main(bob).get_by_label("Bio", exact=True)).to_have_value("\n".join(LINE))

    # Dee: the question Cy passed on to her with a note, and her notifications.
    for path, label, visible in [
        ("/notifications", "Dee's notifications", [NAMES["cy"]]),
        (f"/questions/{w.question}", "forwarded question", [f"Passed on to you by {NAMES['cy']}: “{LINE[3]}”"]),
        ("/questions?queue=for-me", "Dee's questions", []),
        ("/", "Dee's home", [NAMES["cy"], *VISIBLE_SOME]),
        (f"/answers/{w.answer}/edit", "someone else's answer (refused)", []),
    ]:
        findings.visit(dee, url + path, label, visible, status=None if "refused" in label else 200)
    # Cy: her profile form and notifications.
    findings.visit(cy, url + "/notifications", "Cy's notifications", [NAMES["dee"]])

    assert findings.pages >= 60, f"only {findings.pages} pages were checked"
    assert not findings.dialogs, "dialogs opened:\n" + "\n".join(findings.dialogs)
    assert not findings.problems, f"{len(findings.problems)} problems:\n" + "\n".join(findings.problems)


def naive_html(payload: Markdown) -> str | None:
    """What a renderer that escaped nothing would make of a Markdown payload (None: the payload only matters to
    a template engine or a second decoding, which a pasted page cannot show)."""
    source = payload.source
    if "{{" in source or "&lt;" in source:
        return None
    if source.startswith("```"):
        return source.split("\n")[1]
    if source.startswith("`"):
        return source.replace("`", "")
    if "]: " in source:
        text, address = source[1:].split("][", 1)[0], source.split("]: ", 1)[1]
        return f'<a href="{address}">{text}</a>'
    if source.startswith("!["):
        alt, address = source[2:].split("](", 1)
        return f'<img src="{address[:-1]}" alt="{alt}">'
    if source.startswith("["):
        return " ".join(f'<a href="{address.rsplit(")", 1)[0]}">{text.lstrip("[ ")}</a>'
                        for text, address in re.findall(r"\[([^\]]*)\]\(([^)]*\))", source))
    if source.startswith("<https://"):
        return f'<a href="{source[1:-1]}">link</a>'
    if source.startswith("javascript:"):
        address = source.split(" ", 1)[1]
        return f'<a href="{address}">{address}</a>'
    return source


def test_the_checks_catch_what_an_unescaped_page_would_run(browser: Browser) -> None:
    """The same checks against pages that paste the payloads in unescaped, in the places Pollen puts text
    (an element, a double- or single-quoted attribute, a textarea, the page title, a script's string, a link's
    address): each payload must be caught, so a page that escaped nothing could not pass the test above. A page
    with the same payloads escaped passes."""
    cases = [
        ("element", f"<p>{LINE[0]}</p>"),
        ("double-quoted attribute", f'<input aria-label="x" value="{LINE[0]}">'),
        ("single-quoted attribute", f"<input aria-label='x' value='{LINE[1]}'>"),
        ("element", f"<p>{LINE[1]}</p>"),
        ("textarea", f"<textarea aria-label='x'>{LINE[2]}</textarea>"),
        ("script string", f"<p>x</p><script>var name = '{LINE[3]}';</script>"),
        ("title", f"<p>x</p>", LINE[5]),
        ("element", f"<p>{LINE[6]}</p>"),
    ]
    for payload in MARKDOWN:
        naive = naive_html(payload)
        if naive is not None:
            cases.append((payload.source[:40], f"<div>{naive}</div>"))
    context = browser_for(browser)
    page = context.new_page()
    findings = Findings()
    findings.watch(page, "canary")
    pasted: dict[str, str] = {}
    page.route("http://canary.test/**", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=pasted["html"]))
    try:
        missed = []
        for number, (where, body, *title) in enumerate(cases):
            before = len(findings.problems) + len(findings.dialogs)
            pasted["html"] = (f"<!doctype html><html><head><title>{title[0] if title else 't'}</title></head>"
                              f"<body><main>{body}</main></body></html>")
            page.goto(f"http://canary.test/{number}")
            findings.check(page, f"case {number}")
            if len(findings.problems) + len(findings.dialogs) == before:
                missed.append(f"{where}: {body}")
        assert len(cases) >= 25
        assert not missed, "the checks missed:\n" + "\n".join(missed)
        # The same text escaped, as Pollen writes it, passes.
        before = len(findings.problems) + len(findings.dialogs)
        escaped = "".join(f"<p>{html.escape(line)}</p><input aria-label='x' value=\"{html.escape(line)}\">"
                          f"<textarea aria-label='x'>{html.escape(line)}</textarea>" for line in LINE)
        escaped += f'<p><a href="https://example.com/{html.escape(chr(34))} onmouseover={html.escape(chr(34))}x">ok</a></p>'
        pasted["html"] = f"<!doctype html><html><head><title>{html.escape(LINE[5])}</title></head><body><main>{escaped}</main></body></html>"
        page.goto("http://canary.test/escaped")
        findings.check(page, "escaped", visible=LINE)
        assert len(findings.problems) + len(findings.dialogs) == before, findings.problems[before:] + findings.dialogs
    finally:
        context.close()
