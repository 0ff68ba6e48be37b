"""Quality control without pre-approving everything: in a community of practice, a member flags a wrong answer,
the community's manager finds it in the community's review queue and removes it with the guideline it broke and
why; the author reads the notice and appeals once; the administrator's audit log shows the removal and the
appeal, and the appeal waits in the queue."""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

from playwright.sync_api import Browser, Page, expect

from tests_support.browsing import follow, header, main, new_page, notice, path_is, sign_in
from tests_support.pollen_server import PollenServer

PASSWORD = "moderation-pass-123"
COMMUNITY = "Forklift operators"
SLUG = "forklifts"
TITLE = "How often should forklift brakes be tested?"
WRONG = "Never: modern brakes do not wear out, so testing is a waste of time."
FLAG_NOTE = "This is unsafe: the manufacturer says daily."
RULE = "Safety advice must follow the manufacturer"
REASON = "Brakes must be checked before every shift; this answer could get someone hurt."
APPEAL = "I was thinking of the electric models; I will correct it."

PEOPLE = [("ada", "Ada Admin", "admin"), ("mara", "Mara Manager", "member"), ("sam", "Sam Asker", "member"),
          ("ann", "Ann Answerer", "member"), ("fay", "Fay Flagger", "member")]


def add_people(server: PollenServer) -> None:
    for handle, name, role in PEOPLE:
        server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name", name,
                   "--role", role, "--password", PASSWORD)


@contextmanager
def signed_in(browser: Browser, server: PollenServer, handle: str) -> Iterator[Page]:
    context, page = new_page(browser)
    try:
        sign_in(page, server.url, handle, PASSWORD)
        yield page
    finally:
        context.close()


def join(page: Page, server: PollenServer) -> None:
    page.goto(f"{server.url}/c/{SLUG}")
    follow(page, main(page).get_by_role("button", name=re.compile(r"^Join")))
    expect(main(page).get_by_role("button", name=re.compile(r"^Join"))).to_have_count(0)


def test_a_wrong_answer_is_flagged_removed_and_appealed(server: PollenServer, page: Page, browser: Browser) -> None:
    add_people(server)

    # The manager starts the community; three colleagues join it.
    with signed_in(browser, server, "mara") as mara:
        mara.goto(f"{server.url}/communities/new")
        form = main(mara)
        form.get_by_label("Name", exact=True).fill(COMMUNITY)
        form.get_by_label("Address", exact=True).fill(SLUG)
        form.get_by_role("group", name="Kind").get_by_role("radio", name="One job role").check()
        form.get_by_label("Purpose", exact=True).fill("Operating forklifts safely.")
        form.get_by_role("group", name="Who may join").get_by_role("radio", name=re.compile(r"^Open")).check()
        follow(mara, form.get_by_role("button", name="Start the community", exact=True))
        expect(mara).to_have_url(path_is(f"/c/{SLUG}"))
    for handle in ("sam", "ann", "fay"):
        with signed_in(browser, server, handle) as colleague:
            join(colleague, server)

    # A question in the community, and a dangerous answer to it.
    with signed_in(browser, server, "sam") as sam:
        sam.goto(f"{server.url}/questions/new")
        form = main(sam)
        form.get_by_label("Your question", exact=True).fill(TITLE)
        form.get_by_label("A community", exact=True).select_option(SLUG)
        follow(sam, form.get_by_role("button", name="Ask", exact=True))
        expect(sam).to_have_url(re.compile(r"/questions/\d+$"))
        question_url = sam.url
    with signed_in(browser, server, "ann") as ann:
        ann.goto(question_url)
        main(ann).get_by_label("Your answer", exact=True).fill(WRONG)
        follow(ann, main(ann).get_by_role("button", name="Answer", exact=True))
        expect(notice(ann)).to_have_text("Answer posted. The asker is told.")

    # A colleague flags the answer as wrong or unsafe advice.
    with signed_in(browser, server, "fay") as fay:
        fay.goto(question_url)
        answer = main(fay).get_by_role("article", name="Answer by Ann Answerer", exact=True)
        expect(answer).to_contain_text(WRONG)
        follow(fay, answer.get_by_role("link", name="Flag", exact=True))
        expect(fay.get_by_role("heading", name="Flag this answer", level=1)).to_be_visible()
        expect(main(fay)).to_contain_text(WRONG)
        main(fay).get_by_role("group", name="What is wrong?").get_by_role("radio", name="Wrong or unsafe advice").check()
        main(fay).get_by_label("Anything moderators should know", exact=True).fill(FLAG_NOTE)
        follow(fay, main(fay).get_by_role("button", name="Send flag", exact=True))
        expect(notice(fay)).to_have_text("Thank you — moderators will look at it.")
        expect(fay).to_have_url(re.compile(r"/questions/\d+"))

    # The manager finds it in the community's review queue and removes it, saying which guideline and why.
    with signed_in(browser, server, "mara") as mara:
        mara.goto(f"{server.url}/c/{SLUG}")
        follow(mara, main(mara).get_by_role("link", name="Review queue", exact=True))
        expect(mara).to_have_url(path_is(f"/c/{SLUG}/moderation"))
        expect(mara.get_by_role("heading", name=f"Review queue of {COMMUNITY}", level=1)).to_be_visible()
        case = main(mara).locator("li.case").filter(has_text=WRONG)
        expect(case).to_contain_text("1 flag")
        expect(case).to_contain_text(f"Wrong or unsafe advice: “{FLAG_NOTE}” — @fay")
        expect(case).to_contain_text("Ann Answerer")
        case.get_by_label("Action", exact=True).select_option("remove")
        case.get_by_label("Guideline broken", exact=True).fill(RULE)
        case.get_by_label("Reason, told to the author", exact=True).fill(REASON)
        follow(mara, case.get_by_role("button", name="Apply", exact=True))
        expect(notice(mara)).to_have_text("Remove: done.")
        expect(main(mara)).to_contain_text("Nothing waits for review.")
        mara.goto(question_url)
        expect(main(mara)).not_to_contain_text(WRONG)

    # The author reads the notice in her notifications, with the guideline and the reason, and appeals.
    with signed_in(browser, server, "ann") as ann:
        follow(ann, header(ann).get_by_role("link", name=re.compile(r"^Notifications")))
        told = main(ann).get_by_role("listitem").filter(has_text="removed")
        expect(told).to_contain_text(f"Mara Manager removed Answer to “{TITLE}”")
        follow(ann, told.get_by_role("link", name=f"Answer to “{TITLE}”", exact=True))
        expect(ann).to_have_url(re.compile(r"/moderation/cases/\d+$"))
        expect(ann.get_by_role("heading", name="About your answer", level=1)).to_be_visible()
        expect(main(ann)).to_contain_text("It was removed.")
        expect(main(ann)).to_contain_text(f"Guideline: {RULE}")
        expect(main(ann)).to_contain_text(f"Why: {REASON}")
        main(ann).get_by_label(re.compile(r"^Appeal: why should the decision change")).fill(APPEAL)
        follow(ann, main(ann).get_by_role("button", name="Send appeal", exact=True))
        expect(notice(ann)).to_have_text("Appeal sent.")
        expect(main(ann)).to_contain_text("You appealed; a moderator will look at it again.")
        expect(main(ann)).to_contain_text(f"Your appeal: {APPEAL}")
        expect(main(ann).get_by_role("button", name="Send appeal")).to_have_count(0)

    # The appeal is back in the community's queue.
    with signed_in(browser, server, "mara") as mara:
        mara.goto(f"{server.url}/c/{SLUG}/moderation")
        appeal = main(mara).locator("li.case").filter(has_text=APPEAL)
        expect(appeal).to_contain_text("Appeal")
        expect(appeal).to_contain_text(REASON)

    # The administrator's audit log shows both acts, who and why.
    sign_in(page, server.url, "ada", PASSWORD)
    follow(page, header(page).get_by_role("link", name="Admin", exact=True))
    follow(page, main(page).get_by_role("navigation", name="Administration").get_by_role("link", name="Audit log", exact=True))
    expect(page).to_have_url(path_is("/admin/audit"))
    rows = main(page).get_by_role("row")
    removal = rows.filter(has_text="case.remove")
    expect(removal).to_contain_text("@mara")
    expect(removal).to_contain_text(f"{RULE} — {REASON}")
    appealed = rows.filter(has_text="case.appeal")
    expect(appealed).to_contain_text("@ann")
    expect(appealed).to_contain_text(APPEAL)
    expect(main(page).get_by_role("link", name="Download as CSV", exact=True)).to_have_attribute("href", "/admin/audit.csv")
