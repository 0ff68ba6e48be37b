"""A newcomer joins an organization that already hums (one made by `pollen demo`): signs up, goes through the
getting-started guide (subjects, thought leaders, who they follow, communities, hashtags, an introduction),
follows more people from a colleague's network, and ends up following people across several departments;
then prunes the network with the unfollow review."""

from __future__ import annotations

import html
import re
from typing import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests_support.browsing import follow, header, main, notice, path_is
from tests_support.page_checks import assert_page_basics
from tests_support.pollen_server import PollenServer, free_port, pollen_binary

PASSWORD = "newcomer-pass-123"
HANDLE = "nova_newcomer"
NAME = "Nova Newcomer"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PollenServer]:
    """`pollen serve` over an organization made by `pollen demo --members 300 --seed 5`."""
    base = tmp_path_factory.mktemp("pollen-demo")
    data_dir = base / "data"
    data_dir.mkdir()
    server = PollenServer(pollen_binary(), free_port(), data_dir, base)
    server.cli("demo", "--members", "300", "--seed", "5")
    try:
        server.start()
        yield server
    finally:
        server.stop()
        print(server.log_tail())


def step_heading(page: Page, number: int, title: str) -> Locator:
    return main(page).get_by_role("heading", name=f"Step {number} of 6: {title}", level=2)


def pick_boxes(page: Page) -> Locator:
    """The "Select <name>" checkboxes of a pick list."""
    return main(page).get_by_role("checkbox", name=re.compile(r"^Select (?!everyone)"))


def tick(boxes: Locator, count: int) -> list[str]:
    """Ticks the first `count` unticked boxes and returns the names of everyone ticked."""
    ticked: list[str] = []
    for index in range(boxes.count()):
        box = boxes.nth(index)
        if box.is_checked():
            ticked.append(box.get_attribute("aria-label").removeprefix("Select "))
        elif count > 0:
            box.check()
            ticked.append(box.get_attribute("aria-label").removeprefix("Select "))
            count -= 1
    return ticked


def followed_count(page: Page, flash: str) -> int:
    found = re.search(r"You now follow (\d+) (?:person|people)\.", flash)
    assert found, f"unexpected notice after a bulk follow: {flash!r}"
    return int(found.group(1))


def following_handles(page: Page, base_url: str) -> list[str]:
    """Everyone on the member's own "following" list, page after page."""
    handles: list[str] = []
    page.goto(f"{base_url}/@{HANDLE}/following")
    while True:
        assert_page_basics(page)
        cards = main(page).locator("li.person a.name")
        for index in range(cards.count()):
            handles.append(cards.nth(index).get_attribute("href").removeprefix("/@"))
        more = main(page).get_by_role("link", name="Next page", exact=True)
        if more.count() == 0:
            return handles
        follow(page, more)


def department_of(page: Page, base_url: str, handle: str) -> str:
    """The department a profile page states (empty when it states none)."""
    response = page.request.get(f"{base_url}/@{handle}")
    assert response.ok, f"/@{handle} answered {response.status}"
    found = re.search(r"<dt>Department</dt>\s*<dd>(.*?)</dd>", response.text(), re.S)
    return html.unescape(found.group(1).strip()) if found else ""


def test_newcomer_builds_a_network_through_the_guide_then_prunes_it(demo_server: PollenServer, page: Page) -> None:
    base = demo_server.url

    # Sign up: the new member lands on the guide.
    page.goto(base + "/")
    follow(page, header(page).get_by_role("link", name="Sign up", exact=True))
    expect(page).to_have_url(path_is("/signup"))
    form = main(page)
    form.get_by_label("Display name", exact=True).fill(NAME)
    form.get_by_label("Handle", exact=True).fill(HANDLE)
    form.get_by_label("E-mail", exact=True).fill(f"{HANDLE}@example.com")
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    follow(page, form.get_by_role("button", name="Sign up", exact=True))
    expect(page).to_have_url(path_is("/welcome"))
    expect(page.get_by_role("heading", name="Getting started", level=1)).to_be_visible()
    expect(step_heading(page, 1, "Choose your subjects")).to_be_visible()
    guide = page.get_by_role("navigation", name="Guide steps")
    expect(guide.get_by_role("link", name="1. Choose your subjects")).to_have_attribute("aria-current", "step")

    # Step 1: subjects the organization uses, three of them.
    subjects = main(page).get_by_role("group", name="Subjects people here use").get_by_role("checkbox")
    assert subjects.count() >= 3, "the demo organization offers subjects to choose from"
    chosen = []
    for index in range(3):
        box = subjects.nth(index)
        box.check()
        chosen.append(main(page).locator(f"label[for='{box.get_attribute('id')}']").inner_text())
    follow(page, main(page).get_by_role("button", name="Save subjects and continue", exact=True))
    expect(page).to_have_url(path_is("/welcome"))
    expect(notice(page)).to_have_text("Subjects saved to your profile.")

    # Step 2: the thought leaders in those subjects come ticked.
    expect(step_heading(page, 2, "Follow thought leaders")).to_be_visible()
    expect(main(page).get_by_text(re.compile(r"^Thought leader in #")).first).to_be_visible()
    leaders = tick(pick_boxes(page), 0)
    assert len(leaders) >= 3, f"thought leaders come ticked: {leaders}"
    follow(page, main(page).get_by_role("button", name="Follow selected and continue", exact=True))
    expect(page).to_have_url(path_is("/welcome"))
    total = followed_count(page, notice(page).inner_text())
    assert total == len(leaders)

    # Step 3: people suggested from whom the leaders follow, each with the reason.
    expect(step_heading(page, 3, "Follow who they follow")).to_be_visible()
    reasons = main(page).locator("ul.reasons li")
    expect(reasons.first).to_be_visible()
    assert reasons.first.inner_text().strip(), "every suggestion says why"
    suggested = tick(pick_boxes(page), 4)
    assert len(suggested) == 4
    follow(page, main(page).get_by_role("button", name="Follow selected and continue", exact=True))
    total += followed_count(page, notice(page).inner_text())

    # Step 4: communities the demo grew are offered (those of the newcomer's subjects ticked already); join.
    expect(step_heading(page, 4, "Join communities")).to_be_visible()
    offered = main(page).get_by_role("group", name="Communities to join").get_by_role("checkbox")
    expect(offered.first).to_be_visible()
    offered.first.check()
    follow(page, main(page).get_by_role("button", name="Join selected and continue", exact=True))
    expect(notice(page)).to_contain_text(re.compile(r"You joined \d+ communit(y|ies)|will let you in once a manager approves"))

    # Step 5: the chosen subjects are offered ticked as hashtags to follow.
    expect(step_heading(page, 5, "Follow hashtags")).to_be_visible()
    hashtags = main(page).get_by_role("group", name="Hashtags")
    for subject in chosen:
        expect(hashtags.get_by_role("checkbox", name=subject, exact=True)).to_be_checked()
    follow(page, main(page).get_by_role("button", name="Follow hashtags and continue", exact=True))
    expect(notice(page)).to_contain_text("You now follow #")

    # Step 6: an introduction, prefilled with the subjects.
    expect(step_heading(page, 6, "Introduce yourself")).to_be_visible()
    introduction = main(page).get_by_label("Your first post", exact=True)
    expect(introduction).to_have_value(re.compile(f"Hello, I'm {NAME}.*#introductions", re.S))
    follow(page, main(page).get_by_role("button", name="Post and finish", exact=True))
    expect(page).to_have_url(path_is("/"))
    expect(notice(page)).to_have_text("Posted. Welcome aboard: your network is ready.")
    expect(main(page).get_by_role("link", name="Open the getting-started guide")).to_have_count(0)

    # From one of the people followed, "Follow who they follow".
    profile_name = leaders[0]
    page.goto(f"{base}/@{HANDLE}/following")
    assert_page_basics(page)
    follow(page, main(page).get_by_role("link", name=profile_name, exact=True))
    expect(page.get_by_role("heading", name=profile_name, level=1)).to_be_visible()
    expect(main(page).get_by_role("button", name="Unfollow", exact=True)).to_be_visible()
    follow(page, main(page).get_by_role("link", name="Follow who they follow", exact=True))
    expect(page).to_have_url(re.compile(r"/network/following$"))
    expect(page.get_by_role("heading", name=f"Follow who {profile_name} follows", level=1)).to_be_visible()
    # Everyone they follow: among so many there are quiet accounts, for the review below.
    everyone = main(page).get_by_role("checkbox", name="Select everyone", exact=True)
    expect(everyone).to_be_visible()
    everyone.check()
    more = tick(pick_boxes(page), 0)
    assert len(more) >= 4, f"{profile_name} follows people the newcomer does not follow yet: {more}"
    follow(page, main(page).get_by_role("button", name="Follow selected", exact=True))
    expect(page).to_have_url(re.compile(r"/network/following$"))
    total += followed_count(page, notice(page).inner_text())
    for name in more:
        expect(main(page).get_by_role("checkbox", name=f"Select {name}", exact=True)).to_have_count(0)

    # At least ten people, from at least three departments.
    handles = following_handles(page, base)
    assert len(handles) == total
    assert len(handles) >= 10, f"following {len(handles)}: {handles}"
    departments = {department_of(page, base, handle) for handle in handles} - {""}
    assert len(departments) >= 3, f"departments followed: {departments}"

    # The unfollow review, from Discover: a brand-new network of quiet people, or none yet.
    follow(page, header(page).get_by_role("link", name="Discover", exact=True))
    expect(page).to_have_url(path_is("/discover"))
    expect(page.get_by_role("heading", name="Discover people", level=1)).to_be_visible()
    follow(page, main(page).get_by_role("link", name="Review whom you follow", exact=True))
    expect(page).to_have_url(path_is("/network/review"))
    expect(page.get_by_role("heading", name="Review whom you follow", level=1)).to_be_visible()
    candidates = pick_boxes(page)
    if candidates.count() < 2:
        pytest.fail("the demo organization has quiet accounts among those followed, to review")
    dropped = tick(candidates, 2)
    follow(page, main(page).get_by_role("button", name="Unfollow selected", exact=True))
    expect(page).to_have_url(path_is("/network/review"))
    expect(notice(page)).to_have_text("You unfollowed 2 people.")
    for name in dropped:
        expect(main(page).get_by_role("checkbox", name=f"Select {name}", exact=True)).to_have_count(0)

    page.goto(f"{base}/@{HANDLE}/following")
    assert_page_basics(page)
    for name in dropped:
        expect(main(page).get_by_role("link", name=name, exact=True)).to_have_count(0)
    assert len(following_handles(page, base)) == total - 2
