"""Value creation: in a community of practice a member finds an answer useful and marks it so; later she tells
the value story — the answer changed how her team works (applied value) and what that achieved (realized
value) — with both steps linked to the answer. The answer's page shows it is part of her story, and the
community's value matrix lists the story under both cycles, next to the counts of what the community did."""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

from playwright.sync_api import Browser, Page, expect

from tests_support.browsing import follow, header, main, new_page, notice, path_is, sign_in
from tests_support.pollen_server import PollenServer

PASSWORD = "value-pass-123"
COMMUNITY = "Forklift operators"
SLUG = "forklifts"
TITLE = "How often should forklift brakes be tested?"
ANSWER = "Before every shift: it takes two minutes and the manufacturer asks for it."
STORY = "Brake checks before every shift"
APPLIED = "We added the brake test to the start-of-shift checklist in all three depots."
REALIZED = "No brake-related incident in the four months since, against three the year before."

PEOPLE = [("mara", "Mara Manager"), ("sam", "Sam Asker"), ("ann", "Ann Answerer"), ("vic", "Vic Voss")]


def add_people(server: PollenServer) -> None:
    for handle, name in PEOPLE:
        server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name", name,
                   "--password", PASSWORD)


@contextmanager
def signed_in(browser: Browser, server: PollenServer, handle: str) -> Iterator[Page]:
    context, page = new_page(browser)
    try:
        sign_in(page, server.url, handle, PASSWORD)
        yield page
    finally:
        context.close()


def test_a_useful_answer_becomes_a_value_story_in_the_matrix(server: PollenServer, page: Page, browser: Browser) -> None:
    add_people(server)

    # The manager starts the community; colleagues join it; a question there gets an answer.
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
    for handle in ("sam", "ann", "vic"):
        with signed_in(browser, server, handle) as colleague:
            colleague.goto(f"{server.url}/c/{SLUG}")
            follow(colleague, main(colleague).get_by_role("button", name=re.compile(r"^Join")))
    with signed_in(browser, server, "sam") as sam:
        sam.goto(f"{server.url}/questions/new")
        main(sam).get_by_label("Your question", exact=True).fill(TITLE)
        main(sam).get_by_label("A community", exact=True).select_option(SLUG)
        follow(sam, main(sam).get_by_role("button", name="Ask", exact=True))
        question_url = sam.url
    with signed_in(browser, server, "ann") as ann:
        ann.goto(question_url)
        main(ann).get_by_label("Your answer", exact=True).fill(ANSWER)
        follow(ann, main(ann).get_by_role("button", name="Answer", exact=True))

    # Vic finds the answer useful and marks it.
    sign_in(page, server.url, "vic", PASSWORD)
    page.goto(question_url)
    answer = main(page).get_by_role("article", name="Answer by Ann Answerer", exact=True)
    toggle = answer.get_by_role("button", name="Mark useful", exact=True)
    expect(toggle).to_have_attribute("aria-pressed", "false")
    follow(page, toggle)
    expect(notice(page)).to_contain_text("Marked useful.")
    answer = main(page).get_by_role("article", name="Answer by Ann Answerer", exact=True)
    expect(answer.get_by_role("button", name="Mark useful", exact=True)).to_have_attribute("aria-pressed", "true")
    answer_address = question_url.split("://", 1)[1].split("/", 1)[1]
    answer_address = "/" + answer_address + "#" + answer.get_attribute("id")

    # She tells the story: an applied step picked from what she marked useful, a realized step with the
    # answer's address pasted.
    follow(page, header(page).get_by_role("link", name="Stories", exact=True))
    expect(page).to_have_url(path_is("/stories"))
    follow(page, main(page).get_by_role("link", name="Record a value story", exact=True))
    form = main(page)
    form.get_by_label("Title", exact=True).fill(STORY)
    form.get_by_label("Who reads it", exact=True).select_option(label=COMMUNITY)
    applied = form.locator("details.story-step").filter(has_text="Applied value")
    applied.locator("summary").click()
    applied.get_by_label("Applied value: What did you do differently because of it?", exact=True).fill(APPLIED)
    applied.get_by_role("checkbox", name=re.compile(re.escape(f"Answer to “{TITLE}”"))).check()
    realized = form.locator("details.story-step").filter(has_text="Realized value")
    realized.locator("summary").click()
    realized.get_by_label(re.compile(r"^Realized value: What difference")).fill(REALIZED)
    realized.get_by_label("Realized value: what it came from", exact=True).fill(answer_address)
    follow(page, form.get_by_role("button", name="Record the story", exact=True))
    expect(notice(page)).to_have_text("Your value story is recorded.")
    expect(page).to_have_url(re.compile(r"/stories/\d+$"))
    story_url = page.url
    expect(page.get_by_role("heading", name=STORY, level=1)).to_be_visible()
    for cycle, text in (("Applied value", APPLIED), ("Realized value", REALIZED)):
        step = main(page).get_by_role("region", name=cycle, exact=True)
        expect(step).to_contain_text(text)
        expect(step.get_by_role("link", name=f"Answer to “{TITLE}”", exact=True)).to_have_attribute("href", answer_address)

    # The answer's page says it is part of her story, and leads to it.
    page.goto(question_url)
    answer = main(page).get_by_role("article", name="Answer by Ann Answerer", exact=True)
    expect(answer).to_contain_text("Part of 1 value story")
    follow(page, answer.get_by_role("link", name=STORY, exact=True))
    expect(page).to_have_url(story_url)

    # The community's value matrix lists it under both cycles, beside the counts.
    follow(page, main(page).get_by_role("link", name=COMMUNITY, exact=True))
    follow(page, main(page).get_by_role("link", name="Value created", exact=True))
    expect(page).to_have_url(path_is(f"/c/{SLUG}/value"))
    expect(page.get_by_role("heading", name=f"Value created in {COMMUNITY}", level=1)).to_be_visible()
    matrix = main(page).get_by_role("table", name=f"Value matrix of {COMMUNITY}")
    applied_row = matrix.locator("#cycle-applied")
    expect(applied_row.get_by_role("link", name=STORY, exact=True)).to_have_attribute("href", re.compile(r"/stories/\d+$"))
    expect(applied_row).to_contain_text("Stories with an applied step")
    expect(matrix.locator("#cycle-potential")).to_contain_text("Marked useful")
    expect(matrix.locator("#cycle-realized").get_by_role("link", name=STORY, exact=True)).to_be_visible()
    expect(matrix.locator("#cycle-reframing")).to_contain_text("None yet")
    expect(matrix.locator("#cycle-immediate")).to_contain_text("Answers given to the community's questions")
    expect(main(page).get_by_role("link", name="Download the counts as CSV", exact=True)).to_have_attribute(
        "href", f"/c/{SLUG}/value.csv")
