"""Questions and answers: a colleague asks about rota planning, reviews it (similar questions, people to ask),
names the two colleagues who list the subject as expertise and asks. One expert finds it in "For me" and in
the notifications and answers; a follower passes it on to their own followers, one of whom sees who passed
it on and answers too. The asker accepts that answer and sees how long the first answer took and how far the
question travelled (by step and by department, never who); nobody else sees that."""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

from playwright.sync_api import Browser, Locator, Page, expect

from tests_support.browsing import follow, header, main, new_page, notice, path_is, sign_in
from tests_support.pollen_server import PollenServer

PASSWORD = "questions-pass-123"
TAG = "rota-planning"
TITLE = "How do you plan rotas for the August holidays?"
DETAILS = "Half the team wants the same two weeks off. How do you keep it fair?"
EXPERT_ANSWER = "We publish the August rota in March and swap in pairs."
FOLLOWER_ANSWER = "Draw lots for the first choice and rotate the order every year."
NOTE = "You plan the warehouse rotas: any ideas?"

ASKER = ("ava", "Ava Okafor", "Customer Service")
EXPERT_1 = ("eli", "Eli Brandt", "Logistics")
EXPERT_2 = ("ema", "Ema Lindqvist", "Finance")
FORWARDER = ("fin", "Fin Murray", "Customer Service")
# The forwarder's followers: three people of one department, so it is shown by name.
WAREHOUSE = [("wes", "Wes Adeyemi", "Warehouse"), ("wyn", "Wyn Parry", "Warehouse"), ("wil", "Wil Santos", "Warehouse")]


def add_people(server: PollenServer) -> None:
    """Colleagues in several departments; the second expert's expertise comes with the account, the first
    expert declares it on their profile during the journey."""
    server.cli("members", "add", "--handle", "ada", "--email", "ada@example.com", "--name", "Ada Admin",
               "--role", "admin", "--password", PASSWORD)
    for handle, name, department in [ASKER, EXPERT_1, FORWARDER, *WAREHOUSE]:
        server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name", name,
                   "--password", PASSWORD, "--department", department)
    handle, name, department = EXPERT_2
    server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name", name,
               "--password", PASSWORD, "--department", department, "--expertise", TAG)


@contextmanager
def signed_in(browser: Browser, server: PollenServer, handle: str) -> Iterator[Page]:
    """A colleague's own browser, signed in."""
    context, page = new_page(browser)
    try:
        sign_in(page, server.url, handle, PASSWORD)
        yield page
    finally:
        context.close()


def follow_member(page: Page, server: PollenServer, handle: str, name: str) -> None:
    page.goto(f"{server.url}/@{handle}")
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    follow(page, main(page).get_by_role("button", name="Follow", exact=True))
    expect(main(page).get_by_role("button", name="Unfollow", exact=True)).to_be_visible()


def open_queue(page: Page, tab: str) -> None:
    follow(page, header(page).get_by_role("link", name="Questions", exact=True))
    expect(page).to_have_url(path_is("/questions"))
    follow(page, main(page).get_by_role("navigation", name="Queues").get_by_role("link", name=tab, exact=True))
    expect(main(page).get_by_role("navigation", name="Queues").get_by_role("link", name=tab, exact=True)).to_have_attribute(
        "aria-current", "page")


def open_question_from(page: Page, tab: str) -> None:
    """Open the question from one of the Questions queues."""
    open_queue(page, tab)
    follow(page, main(page).get_by_role("link", name=TITLE, exact=True))
    expect(page).to_have_url(re.compile(r"/questions/\d+$"))
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()


def answer(page: Page, text: str) -> None:
    main(page).get_by_label("Your answer", exact=True).fill(text)
    follow(page, main(page).get_by_role("button", name="Answer", exact=True))
    expect(notice(page)).to_have_text("Answer posted. The asker is told.")
    expect(main(page).get_by_role("article", name=re.compile(r"^Answer by ")).filter(has_text=text)).to_be_visible()


def travel(page: Page) -> Locator:
    return main(page).get_by_role("region", name="How far it travelled", exact=True)


def count_in(table: Locator, label: str) -> Locator:
    """The number in the row this label heads."""
    return table.get_by_role("row").filter(has=table.page.get_by_role("rowheader", name=label, exact=True)).get_by_role("cell")


def test_a_question_reaches_experts_and_travels_through_a_forward(
        server: PollenServer, page: Page, browser: Browser) -> None:
    add_people(server)

    # The first expert declares the subject as expertise on their profile.
    with signed_in(browser, server, EXPERT_1[0]) as eli:
        eli.goto(f"{server.url}/settings/profile")
        expect(eli.get_by_role("heading", name="Edit profile", level=1)).to_be_visible()
        main(eli).get_by_label("Expertise", exact=True).fill(TAG)
        follow(eli, main(eli).get_by_role("button", name="Save", exact=True))
        expect(notice(eli)).to_have_text("Profile saved.")
        expect(main(eli).get_by_label("Expertise", exact=True)).to_have_value(TAG)

    # The forwarder follows the asker; three warehouse colleagues follow the forwarder.
    with signed_in(browser, server, FORWARDER[0]) as fin:
        follow_member(fin, server, ASKER[0], ASKER[1])
    for handle, _, _ in WAREHOUSE:
        with signed_in(browser, server, handle) as colleague:
            follow_member(colleague, server, FORWARDER[0], FORWARDER[1])

    # The asker writes the question, reviews it, and asks the two experts Pollen suggests (and her followers).
    sign_in(page, server.url, ASKER[0], PASSWORD)
    follow(page, header(page).get_by_role("link", name="Questions", exact=True))
    expect(page.get_by_role("heading", name="Questions", level=1)).to_be_visible()
    follow(page, main(page).get_by_role("link", name="Ask a question", exact=True))
    expect(page).to_have_url(path_is("/questions/new"))
    expect(page.get_by_role("heading", name="Ask a question", level=1)).to_be_visible()
    form = main(page)
    form.get_by_label("Your question", exact=True).fill(TITLE)
    form.get_by_label("Details (Markdown)", exact=True).fill(DETAILS)
    form.get_by_label("Tags", exact=True).fill(TAG)
    expect(form.get_by_role("checkbox", name="My followers")).to_be_checked()
    follow(page, form.get_by_role("button", name="Review", exact=True))
    expect(main(page).get_by_label("Your question", exact=True)).to_have_value(TITLE)
    already = main(page).get_by_role("region", name="Already asked?", exact=True)
    expect(already).to_be_visible()
    expect(already).to_contain_text("Nothing like it yet.")
    people = main(page).get_by_role("group", name="People to ask", exact=True)
    expect(people.get_by_role("checkbox")).to_have_count(2)
    for handle, name, _ in (EXPERT_1, EXPERT_2):
        choice = people.get_by_role("listitem").filter(has=page.get_by_role("checkbox", name=f"{name} @{handle}"))
        expect(choice).to_contain_text(f"Lists #{TAG} as expertise")
        choice.get_by_role("checkbox", name=f"{name} @{handle}").check()
    expect(main(page).get_by_role("checkbox", name="My followers")).to_be_checked()
    follow(page, main(page).get_by_role("button", name="Ask", exact=True))
    expect(page).to_have_url(re.compile(r"/questions/\d+$"))
    question_url = page.url
    expect(notice(page)).to_have_text("Asked. Answers will be notified to you.")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(main(page)).to_contain_text("Time to first answer: not answered yet")
    expect(travel(page)).to_contain_text("Reached 3 people")

    # The first expert finds it under "For me" and in the notifications, and answers.
    with signed_in(browser, server, EXPERT_1[0]) as eli:
        follow(eli, header(eli).get_by_role("link", name=re.compile(r"^Notifications")))
        asked = main(eli).get_by_role("listitem").filter(has_text="asks you:")
        expect(asked).to_contain_text(f"{ASKER[1]} asks you: {TITLE}")
        open_question_from(eli, "For me")
        expect(eli).to_have_url(question_url)
        expect(travel(eli)).to_have_count(0)
        answer(eli, EXPERT_ANSWER)

    # The forwarder, one of the asker's followers, passes it on to his own followers with a note.
    with signed_in(browser, server, FORWARDER[0]) as fin:
        open_question_from(fin, "For me")
        passing = main(fin).get_by_role("form", name="Pass it on")
        passing.get_by_label("Pass it on to your followers", exact=True).fill(NOTE)
        follow(fin, passing.get_by_role("button", name="Pass it on", exact=True))
        expect(notice(fin)).to_have_text("Passed on to 3 followers.")
        expect(travel(fin)).to_have_count(0)

    # One of his followers sees who passed it on, with the note, and answers.
    follower_handle, follower_name, _ = WAREHOUSE[0]
    with signed_in(browser, server, follower_handle) as wes:
        open_question_from(wes, "For me")
        expect(main(wes).get_by_text(re.compile(r"^Passed on to you by "))).to_have_text(
            f"Passed on to you by {FORWARDER[1]}: “{NOTE}”")
        expect(main(wes).get_by_role("link", name=FORWARDER[1], exact=True)).to_have_attribute("href", f"/@{FORWARDER[0]}")
        expect(travel(wes)).to_have_count(0)
        answer(wes, FOLLOWER_ANSWER)

    # The asker accepts the second answer: the page shows the time to the first answer and how far it went.
    page.goto(question_url)
    expect(main(page).get_by_role("heading", name="2 answers", level=2)).to_be_visible()
    second = main(page).get_by_role("article", name=f"Answer by {follower_name}", exact=True)
    expect(second).to_contain_text(FOLLOWER_ANSWER)
    follow(page, second.get_by_role("button", name="Accept this answer", exact=True))
    expect(notice(page)).to_have_text("Answer accepted. Its author is told.")
    second = main(page).get_by_role("article", name=f"Answer by {follower_name}", exact=True)
    expect(second).to_contain_text("Accepted answer ✓")
    expect(main(page).get_by_role("article", name=f"Answer by {EXPERT_1[1]}", exact=True)).not_to_contain_text("Accepted answer")
    expect(main(page).get_by_text(re.compile(r"^Time to first answer: "))).to_have_text(
        re.compile(r"^Time to first answer: \d+ (minute|minutes|hour|hours)( · to the accepted answer: \d+ (minute|minutes|hour|hours))?$"))
    went = travel(page)
    expect(went).to_contain_text("Reached 6 people, passed on once. You see how many, never who.")
    by_step = went.get_by_role("table", name="By step")
    expect(count_in(by_step, "Asked directly")).to_have_text("3")
    expect(count_in(by_step, "1 step away")).to_have_text("3")
    by_department = went.get_by_role("table", name="By department")
    expect(count_in(by_department, "Warehouse")).to_have_text("3")
    # The asker's follower and the two experts come from three departments, one person each.
    expect(count_in(by_department, "Other departments")).to_have_text("3")
    for _, name, department in (EXPERT_1, EXPERT_2, FORWARDER):
        expect(by_department.get_by_role("rowheader", name=department, exact=True)).to_have_count(0)
        expect(went).not_to_contain_text(name)

    # The Questions page's measures cover it.
    follow(page, header(page).get_by_role("link", name="Questions", exact=True))
    measures = main(page).get_by_role("complementary", name="How questions fare")
    expect(measures).to_contain_text("Answered within 24 hours")
    expect(measures.locator("dt", has_text="Asked").locator("xpath=following-sibling::dd[1]")).to_have_text("1")
    expect(measures.locator("dt", has_text=re.compile(r"^Answered$")).locator("xpath=following-sibling::dd[1]")).to_have_text("1")

    # Someone who did not ask it never sees how far it travelled.
    with signed_in(browser, server, EXPERT_2[0]) as ema:
        ema.goto(question_url)
        expect(ema.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
        expect(main(ema)).to_contain_text(FOLLOWER_ANSWER)
        expect(travel(ema)).to_have_count(0)
        expect(main(ema)).not_to_contain_text("How far it travelled")
