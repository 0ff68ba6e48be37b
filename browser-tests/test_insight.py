"""Monitoring and evaluation of a community: its manager sets the target participation profile and picks the
measures that serve the community's purpose (a target on a raw activity count is saved with the warning),
computes the figures, and the participation profile and the run charts render as SVG beside their tables;
every table downloads as CSV."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from typing import Iterator

from playwright.sync_api import Browser, Page, expect

from tests_support.browsing import follow, header, main, new_page, notice, path_is, sign_in
from tests_support.pollen_server import PollenServer

PASSWORD = "insight-pass-123"
COMMUNITY = "Supply chain"
SLUG = "supply-chain"
TITLE = "How do we shorten the lead time for spare parts?"
ANSWER = "Keep a consignment stock of the twenty most used parts at the plant."

PEOPLE = [("ada", "Ada Admin", "admin", "IT"), ("mara", "Mara Manager", "member", "Operations"),
          ("sam", "Sam Asker", "member", "Maintenance"), ("ann", "Ann Answerer", "member", "Procurement")]


def add_people(server: PollenServer) -> None:
    for handle, name, role, department in PEOPLE:
        server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name", name,
                   "--role", role, "--password", PASSWORD, "--department", department)


@contextmanager
def signed_in(browser: Browser, server: PollenServer, handle: str) -> Iterator[Page]:
    context, page = new_page(browser)
    try:
        sign_in(page, server.url, handle, PASSWORD)
        yield page
    finally:
        context.close()


def test_a_manager_sets_measures_and_reads_the_profile_and_run_charts(server: PollenServer, browser: Browser) -> None:
    add_people(server)

    with signed_in(browser, server, "mara") as mara:
        mara.goto(f"{server.url}/communities/new")
        form = main(mara)
        form.get_by_label("Name", exact=True).fill(COMMUNITY)
        form.get_by_label("Address", exact=True).fill(SLUG)
        form.get_by_role("group", name="Kind").get_by_role("radio", name=re.compile(r"^Across units")).check()
        form.get_by_label("Purpose", exact=True).fill("Getting parts to the line on time, across plants.")
        form.get_by_role("group", name="Who may join").get_by_role("radio", name=re.compile(r"^Open")).check()
        follow(mara, form.get_by_role("button", name="Start the community", exact=True))
        expect(mara).to_have_url(path_is(f"/c/{SLUG}"))

    for handle in ("sam", "ann"):
        with signed_in(browser, server, handle) as colleague:
            colleague.goto(f"{server.url}/c/{SLUG}")
            follow(colleague, main(colleague).get_by_role("button", name=re.compile(r"^Join")))

    with signed_in(browser, server, "sam") as sam:
        sam.goto(f"{server.url}/questions/new")
        form = main(sam)
        form.get_by_label("Your question", exact=True).fill(TITLE)
        form.get_by_label("A community", exact=True).select_option(SLUG)
        follow(sam, form.get_by_role("button", name="Ask", exact=True))
        question_url = sam.url
    with signed_in(browser, server, "ann") as ann:
        ann.goto(question_url)
        main(ann).get_by_label("Your answer", exact=True).fill(ANSWER)
        follow(ann, main(ann).get_by_role("button", name="Answer", exact=True))

    with signed_in(browser, server, "mara") as mara:
        # From the community's home to its insight, and on to choosing measures.
        mara.goto(f"{server.url}/c/{SLUG}")
        follow(mara, main(mara).get_by_role("navigation", name="Content").get_by_role("link", name="Insight"))
        expect(mara).to_have_url(path_is(f"/c/{SLUG}/insight"))
        expect(mara.get_by_role("heading", name=f"How {COMMUNITY} is doing", level=1)).to_be_visible()
        follow(mara, main(mara).get_by_role("link", name="Choose measures and target profile").first)
        expect(mara).to_have_url(path_is(f"/c/{SLUG}/measures"))

        form = main(mara)
        # A mistake first: the form says what is wrong, nothing is saved.
        form.get_by_label("Creator", exact=True).fill("lots")
        follow(mara, form.get_by_role("button", name="Save", exact=True))
        expect(main(mara).get_by_role("alert")).to_contain_text("The target for Creator must be a number.")

        form = main(mara)
        form.get_by_label("Creator", exact=True).fill("40")
        form.get_by_label("Caretaker", exact=True).fill("15")
        form.get_by_label("Participation", exact=True).check()
        form.get_by_label("Time to first answer", exact=True).check()
        form.locator("#target_time_to_first_answer").fill("24")
        form.get_by_label("Reads", exact=True).check()
        form.locator("#target_reads").fill("200")
        follow(mara, form.get_by_role("button", name="Save", exact=True))
        # Saved, and told plainly why a count makes a poor target.
        expect(notice(mara)).to_have_text("Saved.")
        expect(main(mara).get_by_role("alert")).to_contain_text("Reads has a target.")
        expect(main(mara).get_by_role("alert")).to_contain_text("An activity count makes a poor target")

        # The figures are computed in the background; the page says so and shows them once ready.
        mara.goto(f"{server.url}/c/{SLUG}/insight")
        follow(mara, main(mara).get_by_role("button", name="Compute now"))
        expect(notice(mara)).to_contain_text("Computing the figures now")
        deadline = time.time() + 30
        while time.time() < deadline:
            mara.goto(f"{server.url}/c/{SLUG}/insight")
            if main(mara).get_by_role("heading", name="Participation profile", level=2).count():
                break
            time.sleep(0.5)
        content = main(mara)
        expect(content.get_by_role("heading", name="Participation profile", level=2)).to_be_visible()
        expect(content).to_contain_text("Figures computed")

        # The profile as an SVG chart beside its table, with the community's targets.
        profile = content.get_by_role("img", name=f"Participation profile of {COMMUNITY}")
        expect(profile).to_be_visible()
        roles = content.get_by_role("table").filter(has_text="Participation profile, last 90 days")
        expect(roles.get_by_role("row").filter(has_text="Creator")).to_contain_text("40%")
        expect(roles.get_by_role("row").filter(has_text="Caretaker")).to_contain_text("15%")

        # Each chosen measure as a run chart; the count target carries its warning; no leaderboard anywhere.
        for measure in ("Participation", "Time to first answer", "Reads"):
            card = content.locator("article.measure").filter(
                has=mara.get_by_role("heading", name=measure, level=3, exact=True))
            expect(card.get_by_role("img", name=f"{measure} by week")).to_be_visible()
        reads = content.locator("#measure-reads")
        expect(reads.get_by_role("note")).to_contain_text("An activity count makes a poor target")
        expect(content.locator("#measure-time_to_first_answer")).to_contain_text("The community hopes for 24 h.")
        expect(content.locator("#measure-time_to_first_answer").get_by_role("note")).to_have_count(0)
        expect(content.get_by_role("heading", name="Knowledge shared and used", level=2)).to_be_visible()

        # Every table downloads as CSV.
        link = roles.get_by_role("link", name="Download CSV")
        response = mara.request.get(server.url + link.get_attribute("href"))
        assert response.ok
        assert response.headers["content-type"].startswith("text/csv")
        assert response.text().startswith("\"Role\",\"What counts\",\"People\",")

    # A member reads the same page but does not change the measures.
    with signed_in(browser, server, "sam") as sam:
        sam.goto(f"{server.url}/c/{SLUG}/insight")
        expect(main(sam).get_by_role("img", name=f"Participation profile of {COMMUNITY}")).to_be_visible()
        expect(main(sam).get_by_role("link", name="Choose measures and target profile")).to_have_count(0)
        follow(sam, header(sam).get_by_role("link", name="Insight", exact=True))
        expect(main(sam).get_by_role("link", name=COMMUNITY)).to_be_visible()
