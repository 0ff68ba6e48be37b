"""Checks every page in a browser journey must pass, whatever the page is."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

# Form controls that have no accessible name: not <label for>, not wrapped in a <label>,
# no aria-label, no aria-labelledby pointing at text. Hidden inputs and buttons are exempt
# (buttons are named by their value).
_UNLABELED_CONTROLS_JS = """
() => {
  const exempt = new Set(["hidden", "submit", "button", "reset", "image"]);
  const hasText = (el) => !!el && el.textContent.trim().length > 0;
  const isNamed = (el) => {
    if (el.labels && Array.from(el.labels).some(hasText)) return true;
    const ariaLabel = el.getAttribute("aria-label");
    if (ariaLabel && ariaLabel.trim()) return true;
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    return ids.some((id) => hasText(document.getElementById(id)));
  };
  return Array.from(document.querySelectorAll("input, textarea, select"))
    .filter((el) => !(el.tagName === "INPUT" && exempt.has((el.getAttribute("type") || "text").toLowerCase())))
    .filter((el) => !isNamed(el))
    .map((el) => el.outerHTML.slice(0, 200));
}
"""


def unlabeled_controls(page: Page) -> list[str]:
    """The outer HTML (abridged) of each form control on the page without an associated label."""
    return page.evaluate(_UNLABELED_CONTROLS_JS)


def assert_page_basics(page: Page) -> None:
    """One `main` landmark and a label for every form control."""
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_role("main"), f"{page.url} must have one main landmark").to_have_count(1)
    missing = unlabeled_controls(page)
    assert not missing, f"{page.url} has form controls without a label: {missing}"


def set_field(field: Locator, value: str) -> None:
    """Fill a text field, or choose the option with this label in a <select>
    (an empty value chooses the first option, the select's "any")."""
    if field.evaluate("el => el.tagName") != "SELECT":
        field.fill(value)
    elif value:
        field.select_option(label=value)
    else:
        field.select_option(index=0)
