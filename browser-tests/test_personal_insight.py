"""A member looks at their own network insight: from the navigation to the page, where the diversity of their network is
drawn as SVG charts beside the organization's (with tables of the same figures), their seek–sense–share balance is
counted, and a person from a department their network lacks is suggested; they follow that person from there."""

from __future__ import annotations

import requests
from playwright.sync_api import Page, expect

from tests_support.browsing import follow, header, main, notice, path_is, sign_in
from tests_support.pollen_server import PollenServer

PASSWORD = "insight-pass-123"
TIMEOUT = 30


def add_member(server: PollenServer, handle: str, name: str, department: str, location: str, subjects: str) -> None:
    server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name", name,
               "--password", PASSWORD, "--department", department, "--location", location, "--subjects", subjects)


def token(server: PollenServer, handle: str) -> str:
    """A bearer token for `handle`, taken as a client app would (password grant)."""
    app = requests.post(f"{server.url}/api/v1/apps", timeout=TIMEOUT,
                        data={"client_name": "insight-journey", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                              "scopes": "read write"}).json()
    response = requests.post(f"{server.url}/oauth/token", timeout=TIMEOUT, data={
        "grant_type": "password", "client_id": app["client_id"], "client_secret": app["client_secret"],
        "username": f"{handle}@example.com", "password": PASSWORD, "scope": "read write"})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def follow_through_api(server: PollenServer, handle: str, targets: list[str]) -> None:
    bearer = {"Authorization": f"Bearer {token(server, handle)}"}
    ids = [requests.get(f"{server.url}/api/pollen/v1/profiles/{target}", headers=bearer, timeout=TIMEOUT).json()["id"]
           for target in targets]
    response = requests.post(f"{server.url}/api/pollen/v1/follows", headers=bearer, json={"account_ids": ids},
                             timeout=TIMEOUT)
    assert response.status_code == 200, response.text


def craft_network(server: PollenServer) -> None:
    """Mira (Finance, London) follows five of the six people in Legal (Paris, learning about contracts) and one of five
    in Research (Lyon, experiments); one of the lawyers follows someone in Operations (Rome, logistics), where Mira knows
    nobody."""
    add_member(server, "mira", "Mira Moss", "Finance", "London", "budgeting")
    for index, name in enumerate(["Lena", "Luis", "Lotte", "Lars", "Lia", "Leo"], start=1):
        add_member(server, f"law{index}", f"{name} Law", "Legal", "Paris", "contracts")
    for index, name in enumerate(["Rhea", "Rami", "Rosa", "Ravi", "Ruth"], start=1):
        add_member(server, f"lab{index}", f"{name} Lab", "Research", "Lyon", "experiments")
    for index, name in enumerate(["Olga", "Omar", "Otto", "Oona", "Olly"], start=1):
        add_member(server, f"ops{index}", f"{name} Ops", "Operations", "Rome", "logistics")
    follow_through_api(server, "mira", ["law1", "law2", "law3", "law4", "law5", "lab1"])
    follow_through_api(server, "law1", ["ops1"])


def test_member_reads_their_insight_and_widens_their_network(server: PollenServer, page: Page) -> None:
    craft_network(server)
    base = server.url
    sign_in(page, base, "mira", PASSWORD)

    # From the navigation: Discover, then the tab for one's own network insight.
    follow(page, header(page).get_by_role("link", name="Discover", exact=True))
    tabs = page.get_by_role("navigation", name="More ways to discover")
    follow(page, tabs.get_by_role("link", name="Your network insight", exact=True))
    expect(page).to_have_url(path_is("/me/insight"))
    expect(page.get_by_role("heading", name="Your network insight", level=1)).to_be_visible()
    expect(main(page).get_by_text("Only you can see this page — administrators cannot open it.")).to_be_visible()
    expect(main(page).get_by_text("The organization's network insight shows named people: no")).to_be_visible()
    expect(main(page).get_by_text("Your network holds 6 people: 6 you follow")).to_be_visible()

    # Diversity: an SVG chart per dimension, named by its title, and a table with the same figures.
    charts = main(page).locator("svg.chart")
    expect(charts).to_have_count(4)  # departments, locations, subjects, and the balance
    departments = main(page).get_by_role("img", name="Departments: your network beside the organization")
    expect(departments).to_be_visible()
    expect(departments.locator("text", has_text="Legal")).to_have_count(1)
    expect(main(page).get_by_text(
        "Your network is less varied across departments than the organization: 83% of it is in Legal.")).to_be_visible()
    legal = main(page).get_by_role("row", name="Legal 5 83%")
    expect(legal).to_be_visible()

    # The seek–sense–share balance: six people followed, and nothing else yet.
    expect(page.get_by_role("heading", name="Seek, sense and share", level=2)).to_be_visible()
    expect(main(page).get_by_text("You mostly seek; sharing what you learn helps others find you.")).to_be_visible()
    expect(main(page).get_by_role("row", name="People followed people you started to follow 6")).to_be_visible()

    # A person from a department the network lacks, with the reason; followed from here.
    widen = main(page).locator("section", has=page.get_by_role("heading", name="People who would widen your network"))
    person = widen.locator("li.person", has_text="Olga Ops")
    expect(person).to_be_visible()
    expect(person.get_by_text("From Operations: 0% of your network", exact=False)).to_be_visible()
    follow(page, person.get_by_role("button", name="Follow Olga Ops", exact=True))
    expect(page).to_have_url(path_is("/me/insight"))
    expect(notice(page)).to_have_text("You now follow @ops1.")
    expect(main(page).get_by_text("Your network holds 7 people: 7 you follow")).to_be_visible()
    expect(widen.locator("li.person", has_text="Olga Ops")).to_have_count(0)
