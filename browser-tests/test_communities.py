"""Communities of practice: a manager starts a community for one job role and front-loads it by importing
Markdown files (an article, a wiki page, a resource with its PDF); a colleague finds it in the directory,
joins, rates and favourites the article, improves the wiki page and compares its revisions; the community
home then shows what is new and popular and who is new and valued, and the resource downloads as a PDF.
A second, shorter journey: importing again reports what changed and what could not be imported, and the
import is for managers only."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from tests_support.browsing import follow, header, main, new_page, notice, path_is, sign_in
from tests_support.page_checks import assert_page_basics
from tests_support.pollen_server import PollenServer

PASSWORD = "communities-pass-123"
ADA, MINA, SAM = "Ada Admin", "Mina Okoro", "Sam Reyes"
COMMUNITY, SLUG = "Front-line managers", "front-line"
PURPOSE = "Team leaders on every site share how they run shifts, coach their people and onboard newcomers."

ARTICLE, WIKI, RESOURCE = "Running a one-to-one", "Onboarding checklist", "Shift rota template"
ADDED_LINE = "5. Lunch with the team on the first Friday"
EDIT_NOTE = "Added the first-week lunch"
PDF_BYTES = b"%PDF-1.4\n% a tiny rota\n%%EOF\n"


def add_people(server: PollenServer) -> None:
    """An administrator (the first member) and two colleagues, as the other journeys make them."""
    server.cli("members", "add", "--handle", "ada", "--email", "ada@example.com", "--name", ADA,
               "--role", "admin", "--password", PASSWORD)
    for handle, name in (("mina", MINA), ("sam", SAM)):
        server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name", name,
                   "--password", PASSWORD, "--department", "Operations", "--subjects", "coaching",
                   "--expertise", "scheduling")


def write_import_folder(folder: Path, article_date: str) -> list[Path]:
    """Three Markdown files with front matter and the PDF the resource names: four files to upload."""
    folder.mkdir()
    (folder / "one-to-ones.md").write_text(
        "---\n"
        "type: article\n"
        f"title: {ARTICLE}\n"
        "tags: coaching\n"
        f"date: {article_date}\n"
        "---\n"
        "Book **thirty minutes** every fortnight and let the other person set the agenda.\n")
    (folder / "checklist.md").write_text(
        "---\n"
        "type: wiki\n"
        f"title: {WIKI}\n"
        "tags: onboarding\n"
        "---\n"
        "1. Badge and locker ready\n"
        "2. Safety walk on day one\n"
        "3. A buddy for the first month\n"
        "4. Shift pattern explained\n")
    (folder / "rota.md").write_text(
        "---\n"
        "type: resource\n"
        f"title: {RESOURCE}\n"
        "tags: scheduling\n"
        "file: rota.pdf\n"
        "---\n"
        "The four-week rota most sites start from.\n")
    (folder / "rota.pdf").write_bytes(PDF_BYTES)
    return [folder / name for name in ("one-to-ones.md", "checklist.md", "rota.md", "rota.pdf")]


def section(page: Page, heading: str) -> Locator:
    """A titled section of the page (a <section aria-labelledby> is a region named by its heading)."""
    return main(page).get_by_role("region", name=heading, exact=True)


def people_section(page: Page, heading: str) -> Locator:
    """A list of people beside the community's content."""
    return main(page).get_by_role("complementary", name="People").get_by_role("region", name=heading, exact=True)


def card(scope: Locator, kind: str, title: str) -> Locator:
    return scope.get_by_role("article", name=f"{kind}: {title}", exact=True)


def start_community(page: Page) -> None:
    follow(page, header(page).get_by_role("link", name="Communities", exact=True))
    expect(page).to_have_url(path_is("/communities"))
    expect(page.get_by_role("heading", name="Communities", level=1)).to_be_visible()
    follow(page, main(page).get_by_role("link", name="Start a community", exact=True))
    expect(page).to_have_url(path_is("/communities/new"))
    form = main(page)
    form.get_by_label("Name", exact=True).fill(COMMUNITY)
    form.get_by_label("Address", exact=True).fill(SLUG)
    form.get_by_role("group", name="Kind").get_by_role("radio", name="One job role").check()
    form.get_by_label("Purpose", exact=True).fill(PURPOSE)
    form.get_by_role("group", name="Who may join").get_by_role("radio", name=re.compile(r"^Open")).check()
    follow(page, form.get_by_role("button", name="Start the community", exact=True))
    expect(page).to_have_url(path_is(f"/c/{SLUG}"))
    expect(notice(page)).to_have_text(f"{COMMUNITY} is open. You are its first manager.")
    expect(page.get_by_role("heading", name=COMMUNITY, level=1)).to_be_visible()
    expect(main(page)).to_contain_text("One job role · Open · 1 member")
    expect(main(page).locator(".charter")).to_contain_text(PURPOSE)


def import_files(page: Page, files: list[Path]) -> Locator:
    """From the community home, Import content with these files; returns the report."""
    follow(page, main(page).get_by_role("link", name="Import content", exact=True))
    expect(page).to_have_url(path_is(f"/c/{SLUG}/import"))
    expect(page.get_by_role("heading", name="Import content", level=1)).to_be_visible()
    main(page).get_by_label("Markdown files and the files they name", exact=True).set_input_files(files)
    follow(page, main(page).get_by_role("button", name="Import", exact=True))
    expect(page).to_have_url(path_is(f"/c/{SLUG}/import"))
    report = section(page, "Import result")
    expect(report).to_be_visible()
    return report


def open_item(page: Page, kind: str, title: str) -> None:
    """Open an item from its card on the page (the community home or a list)."""
    follow(page, card(main(page), kind, title).get_by_role("link", name=title, exact=True))
    expect(page).to_have_url(re.compile(rf"/c/{SLUG}/items/[^/?#]+$"))
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def go_to_community(page: Page) -> None:
    follow(page, main(page).get_by_role("link", name=COMMUNITY, exact=True).first)
    expect(page).to_have_url(path_is(f"/c/{SLUG}"))
    expect(page.get_by_role("heading", name=COMMUNITY, level=1)).to_be_visible()


def test_manager_front_loads_a_community_and_a_colleague_takes_part(
        server: PollenServer, page: Page, browser: Browser, tmp_path: Path) -> None:
    add_people(server)
    yesterday = (datetime.now(timezone.utc) - timedelta(days=1)).date().isoformat()
    files = write_import_folder(tmp_path / "front-line", yesterday)

    # Mina starts a community for one job role, open to all.
    sign_in(page, server.url, "mina", PASSWORD)
    start_community(page)
    expect(main(page).get_by_role("region", name="What's new", exact=True)).to_contain_text("Nothing here yet.")

    # She front-loads it: three Markdown files and the PDF the resource names.
    report = import_files(page, files)
    expect(report.get_by_role("status")).to_have_text("Imported: 3 created, 0 updated, 0 unchanged, 0 failed.")
    expect(report.get_by_role("heading", name="Files not imported")).to_have_count(0)
    expect(report.get_by_role("heading", name="Skipped")).to_have_count(0)
    created = report.get_by_role("list").filter(has=page.get_by_role("link", name=ARTICLE, exact=True))
    expect(report.get_by_role("heading", name="Created", level=3)).to_be_visible()
    expect(created.get_by_role("listitem")).to_have_count(3)
    for title, detail in ((ARTICLE, "article · one-to-ones.md"), (WIKI, "wiki page · checklist.md"),
                          (RESOURCE, "resource · rota.md")):
        line = created.get_by_role("listitem").filter(has=page.get_by_role("link", name=title, exact=True))
        expect(line).to_contain_text(detail)
        expect(line.get_by_role("link", name=title, exact=True)).to_have_attribute(
            "href", re.compile(rf"^/c/{SLUG}/items/[^/]+$"))

    sam_context, sam = new_page(browser)
    try:
        # Sam finds the community with the directory's search box and joins it.
        sign_in(sam, server.url, "sam", PASSWORD)
        follow(sam, header(sam).get_by_role("link", name="Communities", exact=True))
        search = sam.get_by_role("search", name="Find communities")
        search.get_by_label("Find a community", exact=True).fill("front-line")
        follow(sam, search.get_by_role("button", name="Search", exact=True))
        expect(sam).to_have_url(re.compile(r"/communities\?.*q=front-line"))
        results = section(sam, "Results")
        expect(results.get_by_role("listitem")).to_have_count(1)
        expect(results).to_contain_text("One job role · Open · 1 member")
        expect(results).to_contain_text(PURPOSE)
        follow(sam, results.get_by_role("link", name=COMMUNITY, exact=True))
        expect(sam).to_have_url(path_is(f"/c/{SLUG}"))
        expect(main(sam).get_by_role("link", name="Import content")).to_have_count(0)
        follow(sam, main(sam).get_by_role("button", name="Join", exact=True))
        expect(sam).to_have_url(path_is(f"/c/{SLUG}"))
        expect(notice(sam)).to_have_text("Welcome! You are a member now.")
        expect(main(sam)).to_contain_text("2 members")
        expect(main(sam).get_by_role("button", name="Leave", exact=True)).to_be_visible()

        # He opens the article, rates it four stars and favourites it.
        open_item(sam, "Article", ARTICLE)
        article_url = sam.url
        item = main(sam).get_by_role("article", name=ARTICLE, exact=True)
        expect(item).to_contain_text(f"by {MINA}")
        expect(item.locator("header time")).to_have_attribute("datetime", re.compile(f"^{yesterday}"))
        expect(item.locator(".content strong")).to_have_text("thirty minutes")
        expect(item.get_by_role("link", name="#coaching", exact=True)).to_be_visible()
        expect(item).to_contain_text("Not rated yet · 0 favourites")
        rating = item.get_by_role("group", name="Rate this article")
        rating.get_by_role("radio", name="4 ★", exact=True).check()
        follow(sam, rating.get_by_role("button", name="Rate", exact=True))
        expect(sam).to_have_url(article_url)
        expect(notice(sam)).to_have_text("Thank you: you gave it 4 stars.")
        item = main(sam).get_by_role("article", name=ARTICLE, exact=True)
        expect(item).to_contain_text("4.0 out of 5 from 1 rating")
        expect(item.get_by_role("group", name="Your rating (change it any time)").get_by_role(
            "radio", name="4 ★", exact=True)).to_be_checked()
        follow(sam, item.get_by_role("button", name="Favourite", exact=True))
        expect(notice(sam)).to_have_text("Added to your favourites.")
        item = main(sam).get_by_role("article", name=ARTICLE, exact=True)
        expect(item).to_contain_text("4.0 out of 5 from 1 rating · 1 favourite")
        expect(item.get_by_role("button", name="Unfavourite", exact=True)).to_have_attribute("aria-pressed", "true")

        # He opens the wiki page and adds a line to the checklist.
        go_to_community(sam)
        open_item(sam, "Wiki page", WIKI)
        wiki_url = sam.url
        expect(main(sam).locator(".content ol li")).to_have_count(4)
        follow(sam, main(sam).get_by_role("link", name="Edit", exact=True))
        expect(sam).to_have_url(wiki_url + "/edit")
        expect(sam.get_by_role("heading", name="Edit wiki page", level=1)).to_be_visible()
        expect(main(sam).get_by_label("Title", exact=True)).to_have_value(WIKI)
        text = main(sam).get_by_label("Text (Markdown)", exact=True)
        body = text.input_value()
        assert body.rstrip().endswith("4. Shift pattern explained"), f"the wiki text as imported: {body!r}"
        text.fill(body.rstrip("\n") + "\n" + ADDED_LINE + "\n")
        main(sam).get_by_label("What changed", exact=True).fill(EDIT_NOTE)
        follow(sam, main(sam).get_by_role("button", name="Save", exact=True))
        expect(sam).to_have_url(wiki_url)
        expect(notice(sam)).to_have_text("Saved.")
        expect(main(sam).locator(".content ol li")).to_have_count(5)
        expect(main(sam).locator(".content ol li").last).to_have_text(ADDED_LINE.removeprefix("5. "))
        expect(main(sam).locator("article header")).to_contain_text("revision 2")

        # The history shows his revision with his name and note; comparing 1 → 2 shows the added line.
        follow(sam, main(sam).get_by_role("link", name="History", exact=True))
        expect(sam).to_have_url(wiki_url + "/history")
        expect(sam.get_by_role("heading", name=f"History of {WIKI}", level=1)).to_be_visible()
        revisions = main(sam).get_by_role("table")
        first = revisions.get_by_role("row").filter(has=sam.get_by_role("radio", name="Compare from revision 1"))
        second = revisions.get_by_role("row").filter(has=sam.get_by_role("radio", name="Compare from revision 2"))
        expect(first).to_contain_text(MINA)
        expect(first).to_contain_text("Imported from checklist.md")
        expect(second).to_contain_text("2 current")
        expect(second.get_by_role("link", name=SAM, exact=True)).to_have_attribute("href", "/@sam")
        expect(second).to_contain_text(EDIT_NOTE)
        main(sam).get_by_role("radio", name="Compare from revision 1", exact=True).check()
        expect(main(sam).get_by_role("radio", name="Compare to revision 2", exact=True)).to_be_checked()
        follow(sam, main(sam).get_by_role("button", name="Compare", exact=True))
        expect(sam).to_have_url(re.compile(r"/history\?(from=1&to=2|to=2&from=1)$"))
        diff = section(sam, "Revision 1 → 2")
        expect(diff).to_contain_text("1 line added, 0 lines removed.")
        added = diff.locator("tr.added")
        expect(added).to_have_count(1)
        expect(added).to_contain_text(ADDED_LINE)
        expect(added).to_contain_text("+")
        expect(diff.locator("tr.removed")).to_have_count(0)

        # Back on the community home: what is new and popular, who is new and valued, who leads.
        follow(sam, main(sam).get_by_role("link", name=WIKI, exact=True))
        go_to_community(sam)
        new = section(sam, "What's new")
        expect(card(new, "Article", ARTICLE)).to_be_visible()
        expect(card(new, "Wiki page", WIKI)).to_be_visible()
        expect(card(new, "Resource", RESOURCE)).to_be_visible()
        expect(new.get_by_role("article")).to_have_count(3)
        popular = section(sam, "What's popular")
        rated = card(popular, "Article", ARTICLE)
        expect(rated).to_be_visible()
        expect(rated).to_contain_text("1 favourite")
        expect(rated).to_contain_text("4.0")
        newcomers = people_section(sam, "Who's new")
        expect(newcomers.get_by_role("link", name=SAM, exact=True)).to_have_attribute("href", "/@sam")
        valued = people_section(sam, "Who's popular")
        expect(valued.get_by_role("link", name=MINA, exact=True)).to_have_attribute("href", "/@mina")
        expect(valued.get_by_role("link", name=SAM, exact=True)).to_have_count(0)
        leaders = people_section(sam, "Managers and experts")
        expect(leaders.get_by_role("listitem").filter(has_text=MINA)).to_contain_text("Manager")
        expect(leaders.get_by_role("link", name=SAM, exact=True)).to_have_count(0)

        # The resource downloads as the PDF that was imported.
        open_item(sam, "Resource", RESOURCE)
        download = main(sam).get_by_role("link", name="Download rota.pdf", exact=True)
        expect(download).to_be_visible()
        href = download.get_attribute("href")
        assert href and href.endswith("/file"), f"the download link: {href!r}"
        response = sam.request.get(server.url + href)
        assert response.ok, f"{href} answered {response.status}"
        assert response.headers["content-type"].split(";")[0].strip() == "application/pdf", response.headers
        assert response.body() == PDF_BYTES
    finally:
        sam_context.close()


def test_importing_again_reports_changes_and_failures_and_is_for_managers(
        server: PollenServer, page: Page, browser: Browser, tmp_path: Path) -> None:
    add_people(server)
    folder = tmp_path / "again"
    folder.mkdir()
    article = folder / "one-to-ones.md"
    article.write_text(f"---\ntype: article\ntitle: {ARTICLE}\n---\nFirst version.\n")

    sign_in(page, server.url, "mina", PASSWORD)
    start_community(page)
    report = import_files(page, [article])
    expect(report.get_by_role("status")).to_have_text("Imported: 1 created, 0 updated, 0 unchanged, 0 failed.")

    # The same file again, changed; a resource without its file; a file without front matter; a stray text.
    article.write_text(f"---\ntype: article\ntitle: {ARTICLE}\n---\nSecond version, with more.\n")
    orphan = folder / "manual.md"
    orphan.write_text("---\ntype: resource\ntitle: Shift manual\nfile: manual.pdf\n---\nThe manual.\n")
    bare = folder / "notes.md"
    bare.write_text("Just some notes, no front matter.\n")
    stray = folder / "readme.txt"
    stray.write_text("not for import\n")
    follow(page, main(page).get_by_role("link", name=COMMUNITY, exact=True))
    report = import_files(page, [article, orphan, bare, stray])
    expect(report.get_by_role("status")).to_have_text(
        "Imported: 0 created, 1 updated, 0 unchanged, 2 failed, 1 skipped.")
    failures = report.locator("ul.errors li")
    expect(failures).to_have_count(2)
    expect(failures.filter(has_text="manual.md")).to_contain_text("The resource file manual.pdf is not beside")
    expect(failures.filter(has_text="notes.md")).to_contain_text("does not start with front matter")
    updated = report.get_by_role("listitem").filter(has=page.get_by_role("link", name=ARTICLE, exact=True))
    expect(updated).to_contain_text("article · one-to-ones.md · revision 2")
    expect(report.get_by_role("heading", name="Skipped", level=3)).to_be_visible()
    expect(report.locator("code").filter(has_text="readme.txt")).to_have_count(1)

    # Once more unchanged: no new revision.
    follow(page, main(page).get_by_role("link", name=COMMUNITY, exact=True))
    report = import_files(page, [article])
    expect(report.get_by_role("status")).to_have_text("Imported: 0 created, 0 updated, 1 unchanged, 0 failed.")

    # A member who does not manage the community is offered no import and refused the page.
    sam_context, sam = new_page(browser)
    try:
        sign_in(sam, server.url, "sam", PASSWORD)
        sam.goto(f"{server.url}/c/{SLUG}")
        assert_page_basics(sam)
        follow(sam, main(sam).get_by_role("button", name="Join", exact=True))
        expect(main(sam).get_by_role("link", name="Import content")).to_have_count(0)
        response = sam.goto(f"{server.url}/c/{SLUG}/import")
        assert response is not None and response.status == 403, f"/c/{SLUG}/import answered {response.status}"
        expect(main(sam).get_by_label("Markdown files and the files they name")).to_have_count(0)
    finally:
        sam_context.close()
