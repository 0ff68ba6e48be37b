"""Pollen's OpenAPI document against a running server.

The document in Sources/PollenWeb/Resources/openapi.json (served at /api/pollen/v1/openapi.json) must be a
valid OpenAPI 3.1 description, and every response the server gives to the calls below must have a status
the document lists for that operation and a body that matches the schema documented for that status
(JSON Schema draft 2020-12, `$ref`s resolved into the document's components).
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests_support.pollen_server import REPO_ROOT, PollenServer

DOCUMENT_PATH = REPO_ROOT / "Sources" / "PollenWeb" / "Resources" / "openapi.json"
PREFIX = "/api/pollen/v1"
DOCUMENT_URI = "urn:pollen:openapi"
APP_SCOPES = "read write follow admin:read admin:write"
OOB = "urn:ietf:wg:oauth:2.0:oob"
TIMEOUT = 30

# Every route PollenEndpoints, PollenDiscoveryEndpoints, PollenCommunityEndpoints, PollenQuestionEndpoints and
# PollenModerationEndpoints and PollenValueEndpoints register,
# as (method, path under the prefix).
ROUTES = {
    ("get", "/openapi.json"),
    ("get", "/me"),
    ("patch", "/me"),
    ("get", "/profiles/{handle}"),
    ("get", "/members"),
    ("get", "/admin/members"),
    ("post", "/admin/members"),
    ("post", "/admin/members/{id}/role"),
    ("post", "/admin/members/{id}/suspend"),
    ("post", "/admin/members/{id}/unsuspend"),
    ("post", "/admin/members/import"),
    ("get", "/admin/settings"),
    ("put", "/admin/settings"),
    ("get", "/suggestions"),
    ("delete", "/suggestions/{id}"),
    ("post", "/follows"),
    ("post", "/unfollows"),
    ("get", "/profiles/{handle}/network"),
    ("get", "/subjects/{tag}"),
    ("get", "/explore"),
    ("get", "/me/privacy"),
    ("put", "/me/privacy"),
    ("get", "/me/unfollow-suggestions"),
    ("get", "/me/insight"),
    ("get", "/collections"),
    ("post", "/collections"),
    ("get", "/collections/{id}"),
    ("put", "/collections/{id}"),
    ("delete", "/collections/{id}"),
    ("post", "/collections/{id}/follow"),
    ("get", "/communities"),
    ("post", "/communities"),
    ("get", "/communities/suggested"),
    ("get", "/me/communities"),
    ("get", "/communities/{slug}"),
    ("patch", "/communities/{slug}"),
    ("post", "/communities/{slug}/join"),
    ("post", "/communities/{slug}/leave"),
    ("post", "/communities/{slug}/follow"),
    ("delete", "/communities/{slug}/follow"),
    ("put", "/communities/{slug}/notifications"),
    ("get", "/communities/{slug}/members"),
    ("post", "/communities/{slug}/members/{handle}"),
    ("get", "/communities/{slug}/items"),
    ("post", "/communities/{slug}/items"),
    ("get", "/items/{id}"),
    ("patch", "/items/{id}"),
    ("delete", "/items/{id}"),
    ("get", "/items/{id}/comments"),
    ("post", "/items/{id}/comments"),
    ("delete", "/comments/{id}"),
    ("put", "/items/{id}/rating"),
    ("post", "/items/{id}/favourite"),
    ("delete", "/items/{id}/favourite"),
    ("post", "/items/{id}/feature"),
    ("delete", "/items/{id}/feature"),
    ("post", "/items/{id}/pin"),
    ("delete", "/items/{id}/pin"),
    ("post", "/items/{id}/close"),
    ("delete", "/items/{id}/close"),
    ("get", "/items/{id}/revisions"),
    ("get", "/items/{id}/diff"),
    ("post", "/items/{id}/revisions/{number}/restore"),
    ("get", "/items/{id}/file"),
    ("get", "/search/items"),
    ("get", "/questions"),
    ("post", "/questions"),
    ("get", "/questions/similar"),
    ("get", "/questions/measures"),
    ("get", "/questions/{id}"),
    ("patch", "/questions/{id}"),
    ("get", "/questions/{id}/revisions"),
    ("post", "/questions/{id}/answers"),
    ("post", "/questions/{id}/comments"),
    ("post", "/questions/{id}/forward"),
    ("post", "/questions/{id}/route"),
    ("get", "/questions/{id}/experts"),
    ("get", "/experts"),
    ("patch", "/answers/{id}"),
    ("get", "/answers/{id}/revisions"),
    ("post", "/answers/{id}/vote"),
    ("post", "/answers/{id}/accept"),
    ("get", "/me/question-settings"),
    ("put", "/me/question-settings"),
    ("post", "/flags"),
    ("get", "/moderation/queue"),
    ("get", "/communities/{slug}/moderation/queue"),
    ("get", "/moderation/cases/{id}"),
    ("post", "/moderation/cases/{id}/decisions"),
    ("post", "/moderation/cases/{id}/appeal"),
    ("get", "/communities/{slug}/moderation/policy"),
    ("put", "/communities/{slug}/moderation/policy"),
    ("get", "/moderation/watched-words"),
    ("post", "/moderation/watched-words"),
    ("delete", "/moderation/watched-words/{id}"),
    ("get", "/admin/moderation-settings"),
    ("put", "/admin/moderation-settings"),
    ("get", "/admin/audit"),
    ("post", "/items/{id}/health"),
    ("get", "/communities/{slug}/health"),
    ("get", "/stories"),
    ("post", "/stories"),
    ("get", "/stories/{id}"),
    ("post", "/useful-marks"),
    ("delete", "/useful-marks/{target}"),
}


@dataclass(frozen=True)
class Person:
    handle: str
    email: str
    name: str
    password: str
    role: str = "member"
    department: str = ""
    location: str = ""
    subjects: str = ""
    expertise: str = ""


ADMIN = Person("root_admin", "admin@example.com", "Ada Admin", "admin-secret-123", role="admin",
               department="IT", location="Lisbon")
ALICE = Person("alice", "alice@example.com", "Alice Doe", "alice-secret-123", department="Research",
               location="Lisbon", subjects="supply chain, forecasting", expertise="analytics")
BOB = Person("bob", "bob@example.com", "Bob Roe", "bob-secret-1234", department="Sales", location="Porto",
             subjects="negotiation", expertise="pricing")


def load_document() -> dict[str, Any]:
    return json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))


def pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


class Api:
    """Calls the API and checks each answer against the document."""

    def __init__(self, server: PollenServer, document: dict[str, Any]):
        self.base = server.url
        self.document = document
        self.registry = Registry().with_resource(
            DOCUMENT_URI, Resource.from_contents(document, default_specification=DRAFT202012))

    def call(self, method: str, template: str, *, token: str | None = None, path: dict[str, str] | None = None,
             expect: int | None = None, headers: dict[str, str] | None = None, **kwargs: Any) -> requests.Response:
        operation = self.document["paths"][PREFIX + template][method.lower()]
        headers = dict(headers or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        target = template.format(**{k: urllib.parse.quote(v, safe="@") for k, v in (path or {}).items()})
        response = requests.request(method, self.base + PREFIX + target, headers=headers, timeout=TIMEOUT, **kwargs)
        status = str(response.status_code)
        context = f"{operation['operationId']} ({method.upper()} {target}) answered {status}: {response.text[:600]}"
        assert status in operation["responses"], f"status not in the document: {context}"
        if expect is not None:
            assert response.status_code == expect, f"expected {expect}: {context}"
        self._check_body(response, operation, method.lower(), template, status, context)
        return response

    def _check_body(self, response: requests.Response, operation: dict[str, Any], method: str, template: str,
                    status: str, context: str) -> None:
        described = operation["responses"][status]
        if "$ref" in described:
            assert described["$ref"].startswith("#/"), described["$ref"]
            location = described["$ref"][1:]
            described = self._at(location)
        else:
            location = pointer("paths", PREFIX + template, method, "responses", status)
        content = described.get("content")
        if not content:
            assert not response.content, f"a body where the document describes none: {context}"
            return
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        assert media_type in content, f"content type {media_type!r} not in {sorted(content)}: {context}"
        schema_location = location + pointer("content", media_type, "schema")
        validator = Draft202012Validator(
            {"$ref": DOCUMENT_URI + "#" + urllib.parse.quote(schema_location, safe="/~")},
            registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
        body = response.json()
        problems = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
                    for e in validator.iter_errors(body)]
        assert not problems, f"the body does not match the documented schema: {problems}\n{context}"

    def _at(self, location: str) -> Any:
        node: Any = self.document
        for part in location.split("/")[1:]:
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node


class Tokens:
    """OAuth apps and tokens, obtained as a client would."""

    def __init__(self, server: PollenServer):
        self.server = server
        self.apps: dict[str, tuple[str, str]] = {}

    def app(self, scopes: str = APP_SCOPES) -> tuple[str, str]:
        if scopes not in self.apps:
            response = requests.post(
                f"{self.server.url}/api/v1/apps",
                data={"client_name": "openapi-check", "redirect_uris": OOB, "scopes": scopes}, timeout=TIMEOUT)
            assert response.status_code == 200, response.text
            body = response.json()
            self.apps[scopes] = (body["client_id"], body["client_secret"])
        return self.apps[scopes]

    def _token(self, form: dict[str, str], app_scopes: str) -> str:
        client_id, client_secret = self.app(app_scopes)
        response = requests.post(
            f"{self.server.url}/oauth/token",
            data={**form, "client_id": client_id, "client_secret": client_secret}, timeout=TIMEOUT)
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def password(self, person: Person, scope: str = APP_SCOPES, app_scopes: str = APP_SCOPES) -> str:
        return self._token(
            {"grant_type": "password", "username": person.email, "password": person.password, "scope": scope},
            app_scopes)

    def client_credentials(self, scope: str = "read") -> str:
        return self._token({"grant_type": "client_credentials", "scope": scope}, APP_SCOPES)


def add_member(server: PollenServer, person: Person) -> None:
    server.cli(
        "members", "add", "--handle", person.handle, "--email", person.email, "--name", person.name,
        "--password", person.password, "--role", person.role, "--department", person.department,
        "--location", person.location, "--subjects", person.subjects, "--expertise", person.expertise)


@dataclass
class Env:
    server: PollenServer
    api: Api
    tokens: Tokens
    admin: str
    alice: str
    bob: str


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return load_document()


@pytest.fixture
def env(server: PollenServer, document: dict[str, Any]) -> Env:
    for person in (ADMIN, ALICE, BOB):
        add_member(server, person)
    tokens = Tokens(server)
    return Env(server, Api(server, document), tokens, tokens.password(ADMIN), tokens.password(ALICE),
               tokens.password(BOB))


def member_id(env: Env, handle: str) -> str:
    return env.api.call("GET", "/profiles/{handle}", token=env.admin, path={"handle": handle}, expect=200).json()["id"]


# ---------------------------------------------------------------------------------------- the document


def test_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document, cls=OpenAPIV31SpecValidator)
    validate(document)  # detects the version by itself, too

    assert document["servers"] == [{"url": "/"}]
    operations = {(method, path.removeprefix(PREFIX)): op
                  for path, item in document["paths"].items() for method, op in item.items()}
    assert set(operations) == ROUTES
    ids = [op["operationId"] for op in operations.values()]
    assert len(ids) == len(set(ids)), ids

    flows = document["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["authorizationCode"]["authorizationUrl"] == "/oauth/authorize"
    for flow in ("authorizationCode", "password", "clientCredentials"):
        assert flows[flow]["tokenUrl"] == "/oauth/token"
        assert {"read", "write", "follow", "profile", "admin:read", "admin:write"} <= set(flows[flow]["scopes"])

    for (method, path), op in operations.items():
        assert {"401", "500"} <= set(op["responses"]), (method, path)
        if path != "/openapi.json":
            assert "403" in op["responses"], (method, path)
            for requirement in op["security"]:
                for scheme, scopes in requirement.items():
                    assert set(scopes) <= set(flows["password"]["scopes"]), (method, path, scopes)

    # Every schema in the components is itself a valid 2020-12 schema.
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)


def test_the_server_serves_the_document(server: PollenServer, document: dict[str, Any]) -> None:
    api = Api(server, document)
    served = api.call("GET", "/openapi.json", expect=200).json()
    assert served == document, "the bundled openapi.json differs from the source; rebuild"
    api.call("GET", "/openapi.json", token="not-a-token", expect=401)


# ---------------------------------------------------------------------------------------- authentication


def test_requests_without_a_valid_token_are_refused(env: Env) -> None:
    bodies = {
        ("patch", "/me"): {"json": {"bio": "x"}},
        ("post", "/admin/members"): {"json": {"handle": "zed", "email": "zed@example.com", "display_name": "Zed"}},
        ("post", "/admin/members/{id}/role"): {"json": {"role": "admin"}},
        ("post", "/admin/members/import"): {"data": b"email,name,handle\n", "headers": {"Content-Type": "text/csv"}},
        ("put", "/admin/settings"): {"json": {"name": "Taken over"}},
        ("post", "/follows"): {"json": {"account_ids": [member_id(env, "bob")]}},
        ("put", "/me/privacy"): {"json": {"audience": "everyone"}},
        ("post", "/collections"): {"json": {"title": "Taken", "handles": ["bob"]}},
    }
    params = {"handle": "alice", "id": member_id(env, "alice"), "tag": "forecasting", "slug": "x", "number": "1",
              "target": "post:1"}
    for method, path in sorted(ROUTES - {("get", "/openapi.json")}):
        arguments = bodies.get((method, path), {})
        for token in (None, "not-a-token"):
            response = env.api.call(method, path, token=token, path=params, expect=401, **arguments)
            assert response.json()["error"]
    # A scheme other than Bearer counts as no token.
    env.api.call("GET", "/me", headers={"Authorization": "Basic YWxpY2U6c2VjcmV0"}, expect=401)


def test_scopes_and_app_tokens(env: Env) -> None:
    read_only = env.tokens.password(ALICE, scope="read")
    env.api.call("GET", "/me", token=read_only, expect=200)
    env.api.call("PATCH", "/me", token=read_only, json={"bio": "read only"}, expect=403)

    profile_scopes = "profile"
    profile_only = env.tokens.password(ALICE, scope="profile", app_scopes=profile_scopes)
    me = env.api.call("GET", "/me", token=profile_only, expect=200).json()
    assert me["handle"] == "alice"
    env.api.call("GET", "/members", token=profile_only, expect=403)
    env.api.call("GET", "/profiles/{handle}", token=profile_only, path={"handle": "bob"}, expect=403)

    # An administrator's token without admin scopes may not administer.
    plain_admin = env.tokens.password(ADMIN, scope="read write")
    env.api.call("GET", "/admin/members", token=plain_admin, expect=403)
    env.api.call("GET", "/admin/settings", token=plain_admin, expect=403)
    env.api.call("PUT", "/admin/settings", token=plain_admin, json={"name": "Nope"}, expect=403)

    # A client-credentials token acts for the app: it may read profiles, nothing that needs a member.
    app_token = env.tokens.client_credentials("read")
    profile = env.api.call("GET", "/profiles/{handle}", token=app_token, path={"handle": "alice"}, expect=200).json()
    assert "email" not in profile
    env.api.call("GET", "/me", token=app_token, expect=403)
    env.api.call("GET", "/members", token=app_token, expect=403)


# ---------------------------------------------------------------------------------------- profiles


def test_member_reads_and_edits_their_profile(env: Env) -> None:
    me = env.api.call("GET", "/me", token=env.alice, expect=200).json()
    assert me["handle"] == "alice"
    assert me["email"] == ALICE.email
    assert me["role"] == "member" and me["suspended"] is False
    assert me["subjects"] == ["supply-chain", "forecasting"]
    assert me["url"].endswith("/@alice")

    updated = env.api.call("PATCH", "/me", token=env.alice, json={
        "display_name": "  Alice D.  ", "bio": "Forecasts and flows.", "job_role": "Analyst",
        "subjects": ["#Supply Chain", "logistics", "supply-chain"], "expertise": "analytics; SQL",
    }, expect=200).json()
    assert updated["display_name"] == "Alice D."
    assert updated["job_role"] == "Analyst"
    assert updated["subjects"] == ["supply-chain", "logistics"]
    assert updated["expertise"] == ["analytics", "sql"]
    assert updated["email"] == ALICE.email

    # Form-encoded, with a repeated list field; fields not sent keep their values.
    updated = env.api.call("PATCH", "/me", token=env.alice,
                           data=[("subjects", "routing"), ("subjects", "ports, docks"), ("location", "Faro")],
                           expect=200).json()
    assert updated["subjects"] == ["routing", "ports", "docks"]
    assert updated["location"] == "Faro"
    assert updated["bio"] == "Forecasts and flows."

    # Multipart form fields work as well.
    updated = env.api.call("PATCH", "/me", token=env.alice, files={"department": (None, "Planning")}, expect=200).json()
    assert updated["department"] == "Planning"

    # An empty body changes nothing.
    env.api.call("PATCH", "/me", token=env.alice, json={}, expect=200)

    renamed = env.api.call("PATCH", "/me", token=env.alice, json={"handle": "alice_d"}, expect=200).json()
    assert renamed["handle"] == "alice_d"

    for invalid in [
        {"handle": "a"},
        {"handle": "no spaces"},
        {"display_name": "   "},
        {"display_name": "x" * 81},
        {"bio": "x" * 1001},
        {"department": "x" * 101},
        {"subjects": [f"tag{i}" for i in range(21)]},
        {"expertise": ["not/a/slug"]},
    ]:
        error = env.api.call("PATCH", "/me", token=env.alice, json=invalid, expect=422).json()
        assert error["error"], invalid
    env.api.call("PATCH", "/me", token=env.alice, data="[1, 2]",
                 headers={"Content-Type": "application/json"}, expect=422)
    env.api.call("PATCH", "/me", token=env.alice, data="{not json",
                 headers={"Content-Type": "application/json"}, expect=422)
    # Nothing of an invalid request was written.
    assert env.api.call("GET", "/me", token=env.alice, expect=200).json()["display_name"] == "Alice D."

    conflict = env.api.call("PATCH", "/me", token=env.alice, json={"handle": "BOB"}, expect=409).json()
    assert "taken" in conflict["error"]


def test_profiles(env: Env) -> None:
    bob = env.api.call("GET", "/profiles/{handle}", token=env.alice, path={"handle": "bob"}, expect=200).json()
    assert bob["handle"] == "bob" and bob["department"] == "Sales"
    assert "email" not in bob, "members do not see each other's e-mail addresses"

    own = env.api.call("GET", "/profiles/{handle}", token=env.alice, path={"handle": "alice"}, expect=200).json()
    assert own["email"] == ALICE.email

    by_admin = env.api.call("GET", "/profiles/{handle}", token=env.admin, path={"handle": "@BOB"}, expect=200).json()
    assert by_admin["email"] == BOB.email

    missing = env.api.call("GET", "/profiles/{handle}", token=env.alice, path={"handle": "unknown"}, expect=404)
    assert missing.json()["error"]


def test_directory(env: Env) -> None:
    everyone = env.api.call("GET", "/members", token=env.alice, expect=200).json()
    assert everyone["total"] == 3 and everyone["limit"] == 40 and everyone["offset"] == 0
    assert {m["handle"] for m in everyone["members"]} == {"root_admin", "alice", "bob"}
    assert [m["handle"] for m in everyone["members"] if "email" in m] == ["alice"]

    def handles(token: str, **params: str) -> list[str]:
        page = env.api.call("GET", "/members", token=token, params=params, expect=200).json()
        return sorted(m["handle"] for m in page["members"])

    assert handles(env.alice, subject="Supply Chain") == ["alice"]
    assert handles(env.alice, expertise="pricing") == ["bob"]
    assert handles(env.alice, department="Sales") == ["bob"]
    assert handles(env.alice, location="Lisbon") == ["alice", "root_admin"]
    assert handles(env.alice, q="forecasting") == ["alice"]
    assert handles(env.alice, q="nobody-matches-this") == []
    assert handles(env.alice, location="Lisbon", department="Research") == ["alice"]

    page = env.api.call("GET", "/members", token=env.alice, params={"limit": "1", "offset": "1"}, expect=200).json()
    assert len(page["members"]) == 1 and page["total"] == 3 and page["limit"] == 1 and page["offset"] == 1
    # Out-of-range and non-numeric values are clamped or ignored, as documented.
    page = env.api.call("GET", "/members", token=env.alice, params={"limit": "1000", "offset": "-5"}, expect=200).json()
    assert page["limit"] == 200 and page["offset"] == 0
    page = env.api.call("GET", "/members", token=env.alice, params={"limit": "0"}, expect=200).json()
    assert page["limit"] == 1
    page = env.api.call("GET", "/members", token=env.alice, params={"limit": "many"}, expect=200).json()
    assert page["limit"] == 40

    as_admin = env.api.call("GET", "/members", token=env.admin, expect=200).json()
    assert all("email" in m for m in as_admin["members"])


# ---------------------------------------------------------------------------------------- administration


def test_admin_endpoints_refuse_members(env: Env) -> None:
    bob_id = member_id(env, "bob")
    for method, path, arguments in [
        ("GET", "/admin/members", {}),
        ("POST", "/admin/members", {"json": {"handle": "zed", "email": "zed@example.com", "display_name": "Zed"}}),
        ("POST", "/admin/members/{id}/role", {"json": {"role": "admin"}}),
        ("POST", "/admin/members/{id}/suspend", {}),
        ("POST", "/admin/members/{id}/unsuspend", {}),
        ("POST", "/admin/members/import", {"data": b"email,name,handle\nzed@example.com,Zed,zed\n",
                                           "headers": {"Content-Type": "text/csv"}}),
        ("GET", "/admin/settings", {}),
        ("PUT", "/admin/settings", {"json": {"name": "Alice's server"}}),
    ]:
        error = env.api.call(method, path, token=env.alice, path={"id": bob_id}, expect=403, **arguments).json()
        assert error["error"]
    # Nothing changed.
    assert env.api.call("GET", "/profiles/{handle}", token=env.admin, path={"handle": "bob"}).json()["role"] == "member"
    env.api.call("GET", "/profiles/{handle}", token=env.admin, path={"handle": "zed"}, expect=404)


def test_admin_lists_and_creates_members(env: Env) -> None:
    page = env.api.call("GET", "/admin/members", token=env.admin, expect=200).json()
    assert page["total"] == 3
    assert {m["email"] for m in page["members"]} == {ADMIN.email, ALICE.email, BOB.email}
    page = env.api.call("GET", "/admin/members", token=env.admin, params={"department": "Sales", "limit": "5"},
                        expect=200).json()
    assert [m["handle"] for m in page["members"]] == ["bob"] and page["limit"] == 5

    carol = env.api.call("POST", "/admin/members", token=env.admin, json={
        "handle": "carol", "email": "carol@example.com", "display_name": "Carol Poe", "role": "moderator",
        "password": "carol-secret-123", "department": "Research", "subjects": ["Forecasting"], "bio": "Hi.",
    }, expect=201).json()
    assert carol["handle"] == "carol" and carol["role"] == "moderator" and carol["email"] == "carol@example.com"
    assert carol["subjects"] == ["forecasting"]

    dave = env.api.call("POST", "/admin/members", token=env.admin, data=[
        ("handle", "dave"), ("email", "dave@example.com"), ("display_name", "Dave Moe"),
        ("expertise[]", "welding"), ("expertise[]", "safety, first aid"),
    ], expect=201).json()
    assert dave["role"] == "member" and dave["expertise"] == ["welding", "safety", "first-aid"]

    for invalid in [
        {"handle": "x", "email": "x@example.com", "display_name": "X"},
        {"handle": "erin", "email": "not-an-email", "display_name": "Erin"},
        {"handle": "erin", "email": "erin@example.com", "display_name": ""},
        {"handle": "erin", "email": "erin@example.com", "display_name": "Erin", "role": "owner"},
        {"handle": "erin", "email": "erin@example.com", "display_name": "Erin", "password": "short"},
        {"email": "erin@example.com", "display_name": "Erin"},
    ]:
        env.api.call("POST", "/admin/members", token=env.admin, json=invalid, expect=422)
    env.api.call("POST", "/admin/members", token=env.admin, data="null",
                 headers={"Content-Type": "application/json"}, expect=422)

    env.api.call("POST", "/admin/members", token=env.admin,
                 json={"handle": "CAROL", "email": "other@example.com", "display_name": "Carol Two"}, expect=409)
    env.api.call("POST", "/admin/members", token=env.admin,
                 json={"handle": "carol2", "email": "Carol@Example.com", "display_name": "Carol Two"}, expect=409)


def test_admin_changes_roles(env: Env) -> None:
    bob_id = member_id(env, "bob")
    admin_id = member_id(env, "root_admin")

    bob = env.api.call("POST", "/admin/members/{id}/role", token=env.admin, path={"id": bob_id},
                       json={"role": "moderator"}, expect=200).json()
    assert bob["role"] == "moderator" and bob["email"] == BOB.email
    bob = env.api.call("POST", "/admin/members/{id}/role", token=env.admin, path={"id": bob_id},
                       data={"role": "member"}, expect=200).json()
    assert bob["role"] == "member"

    for body in [{"role": "owner"}, {}]:
        env.api.call("POST", "/admin/members/{id}/role", token=env.admin, path={"id": bob_id}, json=body, expect=422)
    for unknown in ["999", "0", "-1", "abc", "99999999999999999999"]:
        env.api.call("POST", "/admin/members/{id}/role", token=env.admin, path={"id": unknown},
                     json={"role": "member"}, expect=404)

    conflict = env.api.call("POST", "/admin/members/{id}/role", token=env.admin, path={"id": admin_id},
                            json={"role": "member"}, expect=409).json()
    assert "last administrator" in conflict["error"]

    # With a second administrator the first may step down.
    env.api.call("POST", "/admin/members/{id}/role", token=env.admin, path={"id": bob_id},
                 json={"role": "admin"}, expect=200)
    me = env.api.call("POST", "/admin/members/{id}/role", token=env.admin, path={"id": admin_id},
                      json={"role": "member"}, expect=200).json()
    assert me["role"] == "member"
    env.api.call("GET", "/admin/settings", token=env.admin, expect=403)


def test_admin_suspends_and_reinstates(env: Env) -> None:
    bob_id = member_id(env, "bob")
    admin_id = member_id(env, "root_admin")

    bob = env.api.call("POST", "/admin/members/{id}/suspend", token=env.admin, path={"id": bob_id}, expect=200).json()
    assert bob["suspended"] is True and bob["email"] == BOB.email
    # Bob's tokens stop working; other members no longer find him; administrators still do.
    env.api.call("GET", "/me", token=env.bob, expect=401)
    env.api.call("GET", "/profiles/{handle}", token=env.alice, path={"handle": "bob"}, expect=404)
    assert "bob" not in [m["handle"] for m in env.api.call("GET", "/members", token=env.alice).json()["members"]]
    assert env.api.call("GET", "/profiles/{handle}", token=env.admin, path={"handle": "bob"}).json()["suspended"]
    listed = env.api.call("GET", "/admin/members", token=env.admin, expect=200).json()
    assert [m["suspended"] for m in listed["members"] if m["handle"] == "bob"] == [True]

    env.api.call("POST", "/admin/members/{id}/suspend", token=env.admin, path={"id": admin_id}, expect=403)
    env.api.call("POST", "/admin/members/{id}/suspend", token=env.admin, path={"id": "12345"}, expect=404)
    env.api.call("POST", "/admin/members/{id}/suspend", token=env.admin, path={"id": bob_id}, data="{oops",
                 headers={"Content-Type": "application/json"}, expect=422)

    bob = env.api.call("POST", "/admin/members/{id}/unsuspend", token=env.admin, path={"id": bob_id},
                       json={}, expect=200).json()
    assert bob["suspended"] is False
    env.api.call("GET", "/profiles/{handle}", token=env.alice, path={"handle": "bob"}, expect=200)
    env.api.call("POST", "/admin/members/{id}/unsuspend", token=env.admin, path={"id": "not-an-id"}, expect=404)


def test_admin_imports_members(env: Env) -> None:
    csv = (
        "Email,Display Name,Handle,Department,Job_Role,Subjects\n"
        "erin@example.com,Erin Fox,erin,Research,Chemist,\"chemistry; safety\"\n"
        "broken-address,Nobody,nobody,,,\n"
        "alice@example.com,Alice Doe,ignored,R&D,,\"supply chain, forecasting\"\n"
    )
    report = env.api.call("POST", "/admin/members/import", token=env.admin, data=csv.encode(),
                          headers={"Content-Type": "text/csv"}, expect=200).json()
    assert report["created"] == 1 and report["updated"] == 1 and report["unchanged"] == 0
    assert [e["line"] for e in report["errors"]] == [3]
    # Alice's department changed; the columns the file lacks (location, expertise) and her handle are kept.
    alice = env.api.call("GET", "/profiles/{handle}", token=env.admin, path={"handle": "alice"}, expect=200).json()
    assert alice["department"] == "R&D" and alice["location"] == "Lisbon" and alice["expertise"] == ["analytics"]
    erin = env.api.call("GET", "/profiles/{handle}", token=env.admin, path={"handle": "erin"}, expect=200).json()
    assert erin["subjects"] == ["chemistry", "safety"] and erin["job_role"] == "Chemist"

    # The same file as a multipart upload: now nothing is new.
    report = env.api.call("POST", "/admin/members/import", token=env.admin,
                          files={"file": ("members.csv", csv.encode(), "text/csv")}, expect=200).json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 2)
    assert [e["line"] for e in report["errors"]] == [3]

    for unreadable in [b"", b"email,name\nx@example.com,X\n", b"email,name,handle,shoe size\n",
                       b"email,name,handle\n\"unclosed,X,x\n"]:
        error = env.api.call("POST", "/admin/members/import", token=env.admin, data=unreadable,
                             headers={"Content-Type": "text/csv"}, expect=422).json()
        assert error["error"]
    env.api.call("POST", "/admin/members/import", token=env.admin,
                 files={"upload": ("members.csv", csv.encode(), "text/csv")}, expect=422)
    env.api.call("POST", "/admin/members/import", token=env.admin, data=csv.encode(),
                 headers={"Content-Type": "multipart/form-data"}, expect=422)


def test_admin_settings(env: Env) -> None:
    settings = env.api.call("GET", "/admin/settings", token=env.admin, expect=200).json()
    assert settings["signup_policy"] == "open" and settings["allowed_domains"] == []

    changed = env.api.call("PUT", "/admin/settings", token=env.admin, json={
        "name": " Pollen at Example ", "description": "Learning together.", "contact_email": "help@example.com",
    }, expect=200).json()
    assert changed["name"] == "Pollen at Example" and changed["contact_email"] == "help@example.com"
    assert changed["signup_policy"] == "open"

    changed = env.api.call("PUT", "/admin/settings", token=env.admin, data=[
        ("signup_policy", "domains"), ("allowed_domains", "@Example.com"), ("allowed_domains", "example.org, example.net"),
    ], expect=200).json()
    assert changed["signup_policy"] == "domains"
    assert changed["allowed_domains"] == ["example.com", "example.org", "example.net"]
    assert changed["name"] == "Pollen at Example"
    assert env.api.call("GET", "/admin/settings", token=env.admin, expect=200).json() == changed

    for invalid in [
        {"signup_policy": "closed"},
        {"name": "  "},
        {"name": "x" * 81},
        {"description": "x" * 1001},
        {"contact_email": "nobody"},
        {"allowed_domains": ["localhost"]},
        {"allowed_domains": "", "signup_policy": "domains"},
    ]:
        env.api.call("PUT", "/admin/settings", token=env.admin, json=invalid, expect=422)
    assert env.api.call("GET", "/admin/settings", token=env.admin, expect=200).json() == changed

    reopened = env.api.call("PUT", "/admin/settings", token=env.admin,
                            json={"signup_policy": "invitation", "allowed_domains": "", "contact_email": ""},
                            expect=200).json()
    assert reopened["signup_policy"] == "invitation" and reopened["allowed_domains"] == []
    assert reopened["contact_email"] == ""


# ---------------------------------------------------------------------------------------- finding people

CAROL = Person("carol", "carol@example.com", "Carol Poe", "carol-secret-123", department="Finance",
               subjects="forecasting")


def test_suggestions_bulk_follows_and_networks(env: Env) -> None:
    add_member(env.server, CAROL)
    ids = {handle: member_id(env, handle) for handle in ("alice", "bob", "carol", "root_admin")}

    # Alice follows Bob and the administrator at once; herself and an unknown id are skipped.
    done = env.api.call("POST", "/follows", token=env.alice,
                        json={"account_ids": [ids["bob"], ids["root_admin"], ids["alice"], "999"]}, expect=200).json()
    assert sorted(a["handle"] for a in done["followed"]) == ["bob", "root_admin"] and done["skipped"] == 2
    # Bob follows Carol (form-encoded, repeated field): Carol is now suggested to Alice through Bob.
    done = env.api.call("POST", "/follows", token=env.bob, data=[("account_ids[]", ids["carol"])], expect=200).json()
    assert [a["handle"] for a in done["followed"]] == ["carol"] and done["skipped"] == 0
    for invalid in [{"account_ids": []}, {"account_ids": ["abc"]}, {}]:
        env.api.call("POST", "/follows", token=env.alice, json=invalid, expect=422)

    suggestions = env.api.call("GET", "/suggestions", token=env.alice, params={"limit": "5"}, expect=200).json()
    carol = next(s for s in suggestions["suggestions"] if s["account"]["handle"] == "carol")
    shared = next(r for r in carol["reasons"] if r["kind"] == "followed_by_people_you_follow")
    assert shared["count"] == 1 and shared["examples"] == ["bob"]
    assert shared["text"] == "Followed by Bob Roe, whom you follow"
    assert "email" not in carol["account"]
    assert all(s["account"]["handle"] not in ("alice", "bob", "root_admin") for s in suggestions["suggestions"])

    # "Follow who they follow".
    listing = env.api.call("GET", "/profiles/{handle}/network", token=env.alice, path={"handle": "bob"},
                           expect=200).json()
    assert listing["owner"]["handle"] == "bob" and listing["truncated"] is False
    assert [(e["account"]["handle"], e["following"], e["can_follow"]) for e in listing["accounts"]] == [
        ("carol", False, True)]
    followers = env.api.call("GET", "/profiles/{handle}/network", token=env.alice, path={"handle": "bob"},
                             params={"list": "followers"}, expect=200).json()
    assert [e["account"]["handle"] for e in followers["accounts"]] == ["alice"]
    env.api.call("GET", "/profiles/{handle}/network", token=env.alice, path={"handle": "bob"},
                 params={"list": "friends"}, expect=422)
    env.api.call("GET", "/profiles/{handle}/network", token=env.alice, path={"handle": "nobody"}, expect=404)

    # Bob keeps his network to himself: the listing is refused, and he no longer links Alice to Carol.
    assert env.api.call("GET", "/me/privacy", token=env.bob, expect=200).json() == {
        "audience": "everyone", "discoverable": True}
    privacy = env.api.call("PUT", "/me/privacy", token=env.bob, json={"audience": "only_me"}, expect=200).json()
    assert privacy == {"audience": "only_me", "discoverable": True}
    error = env.api.call("GET", "/profiles/{handle}/network", token=env.alice, path={"handle": "bob"},
                         expect=403).json()
    assert "private" in error["error"]
    for invalid in [{"audience": "friends"}, {"discoverable": "maybe"}]:
        env.api.call("PUT", "/me/privacy", token=env.bob, json=invalid, expect=422)
    privacy = env.api.call("PUT", "/me/privacy", token=env.bob, data={"audience": "everyone", "discoverable": "false"},
                           expect=200).json()
    assert privacy == {"audience": "everyone", "discoverable": False}

    # Dismissing Carol hides her for good.
    assert env.api.call("DELETE", "/suggestions/{id}", token=env.alice, path={"id": ids["carol"]},
                        expect=204).content == b""
    suggestions = env.api.call("GET", "/suggestions", token=env.alice, expect=200).json()
    assert "carol" not in [s["account"]["handle"] for s in suggestions["suggestions"]]
    env.api.call("DELETE", "/suggestions/{id}", token=env.alice, path={"id": "12345"}, expect=404)

    # Nobody Alice follows has posted: all are offered for review as quiet.
    review = env.api.call("GET", "/me/unfollow-suggestions", token=env.alice, expect=200).json()
    assert sorted(a["account"]["handle"] for a in review["accounts"]) == ["bob", "root_admin"]
    assert all(r["kind"] == "quiet" and r["last_posted"] is None for a in review["accounts"] for r in a["reasons"])
    done = env.api.call("POST", "/unfollows", token=env.alice, json={"account_ids": f"{ids['bob']}, {ids['carol']}"},
                        expect=200).json()
    assert [a["handle"] for a in done["unfollowed"]] == ["bob"] and done["skipped"] == 1

    # Subjects and the overview of who's new and popular.
    subject = env.api.call("GET", "/subjects/{tag}", token=env.alice, path={"tag": "Forecasting"}, expect=200).json()
    assert subject["tag"] == "forecasting" and subject["thought_leaders"] == []
    env.api.call("GET", "/subjects/{tag}", token=env.alice, path={"tag": "c++"}, expect=422)
    explore = env.api.call("GET", "/explore", token=env.alice, expect=200).json()
    assert explore["department"] is None
    newcomers = {m["handle"] for m in explore["new_members"]}
    assert {"carol", "root_admin"} <= newcomers and "bob" not in newcomers, "Bob asked not to be suggested"
    explore = env.api.call("GET", "/explore", token=env.alice, params={"department": "Finance"}, expect=200).json()
    assert explore["department"] == "Finance" and [m["handle"] for m in explore["new_members"]] == ["carol"]
    env.api.call("GET", "/explore", token=env.alice, params={"department": "x" * 101}, expect=422)

    # Scopes: reading needs read, following needs write:follows; app tokens get nothing here.
    read_only = env.tokens.password(ALICE, scope="read")
    env.api.call("GET", "/suggestions", token=read_only, expect=200)
    env.api.call("POST", "/follows", token=read_only, json={"account_ids": [ids["bob"]]}, expect=403)
    env.api.call("PUT", "/me/privacy", token=read_only, json={"audience": "followed"}, expect=403)
    follow_only = env.tokens.password(ALICE, scope="follow")
    env.api.call("POST", "/follows", token=follow_only, json={"account_ids": [ids["bob"]]}, expect=200)
    env.api.call("GET", "/suggestions", token=follow_only, expect=403)
    app_token = env.tokens.client_credentials("read")
    for path in ("/suggestions", "/explore", "/me/privacy", "/me/unfollow-suggestions", "/collections"):
        env.api.call("GET", path, token=app_token, expect=403)


def test_personal_insight(env: Env) -> None:
    """The token's member's own insight, as documented; an administrator's token gets the administrator's own."""
    add_member(env.server, CAROL)
    ids = {handle: member_id(env, handle) for handle in ("bob", "carol")}
    env.api.call("POST", "/follows", token=env.alice, json={"account_ids": [ids["bob"], ids["carol"]]}, expect=200)
    mine = env.api.call("GET", "/me/insight", token=env.alice, expect=200).json()
    assert mine["account"]["handle"] == "alice" and mine["network"]["people"] == 2
    assert [d["dimension"] for d in mine["diversity"]] == ["department", "location", "subject"]
    assert mine["privacy"]["only_you"] is True and mine["privacy"]["organization_shows_named_people"] is False
    admin = env.api.call("GET", "/me/insight", token=env.admin, params={"handle": "alice"}, expect=200).json()
    assert admin["account"]["handle"] == "root_admin" and admin["network"]["people"] == 0
    assert all(d["network"]["blau"] is None for d in admin["diversity"])
    env.api.call("GET", "/me/insight", token=env.tokens.client_credentials(), expect=403)


def test_collections(env: Env) -> None:
    created = env.api.call("POST", "/collections", token=env.alice, json={
        "title": " Forecasting 101 ", "description": "Who to read first.", "handles": ["bob", "@root_admin"],
        "tags": "Forecasting, supply chain",
    }, expect=201).json()
    assert created["title"] == "Forecasting 101" and created["owner"]["handle"] == "alice"
    assert [a["account"]["handle"] for a in created["accounts"]] == ["bob", "root_admin"]
    assert created["tags"] == ["forecasting", "supply-chain"] and created["may_edit"] is True
    collection_id = created["id"]

    for invalid in [
        {"handles": ["bob"]},
        {"title": "x" * 101, "handles": ["bob"]},
        {"title": "Nobody", "handles": ["nobody"]},
        {"title": "Empty"},
        {"title": "Bad tag", "tags": ["c++"]},
    ]:
        env.api.call("POST", "/collections", token=env.alice, json=invalid, expect=422)

    listed = env.api.call("GET", "/collections", token=env.bob, expect=200).json()
    assert [c["id"] for c in listed["collections"]] == [collection_id]
    assert listed["collections"][0]["people"] == 2 and listed["page"] == 1 and listed["next_page"] is None
    assert env.api.call("GET", "/collections", token=env.bob, params={"owner": "bob"}, expect=200).json()[
        "collections"] == []
    assert env.api.call("GET", "/collections", token=env.bob, params={"owner": "@alice", "page": "2"},
                        expect=200).json()["collections"] == []
    env.api.call("GET", "/collections", token=env.bob, params={"owner": "nobody"}, expect=404)

    seen = env.api.call("GET", "/collections/{id}", token=env.bob, path={"id": collection_id}, expect=200).json()
    assert seen["may_edit"] is False and seen["followed_tags"] == []

    # Only the owner changes or deletes it.
    env.api.call("PUT", "/collections/{id}", token=env.bob, path={"id": collection_id}, json={"title": "Mine"},
                 expect=403)
    env.api.call("DELETE", "/collections/{id}", token=env.bob, path={"id": collection_id}, expect=403)
    changed = env.api.call("PUT", "/collections/{id}", token=env.alice, path={"id": collection_id},
                           data={"title": "Forecasting 102"}, expect=200).json()
    assert changed["title"] == "Forecasting 102" and len(changed["accounts"]) == 2
    env.api.call("PUT", "/collections/{id}", token=env.alice, path={"id": collection_id}, json={"title": ""},
                 expect=422)

    # Bob follows everything he does not follow yet (not himself); then there is nothing left.
    done = env.api.call("POST", "/collections/{id}/follow", token=env.bob, path={"id": collection_id}, json={},
                        expect=200).json()
    assert done == {"people": 1, "tags": 2}
    env.api.call("POST", "/collections/{id}/follow", token=env.bob, path={"id": collection_id}, expect=409)
    env.api.call("POST", "/collections/{id}/follow", token=env.alice, path={"id": collection_id},
                 json={"account_ids": [], "tags": []}, expect=422)
    done = env.api.call("POST", "/collections/{id}/follow", token=env.alice, path={"id": collection_id},
                        json={"tags": ["#Forecasting"]}, expect=200).json()
    assert done == {"people": 0, "tags": 1}
    seen = env.api.call("GET", "/collections/{id}", token=env.bob, path={"id": collection_id}, expect=200).json()
    assert seen["followed_tags"] == ["forecasting", "supply-chain"]
    assert [a["following"] for a in seen["accounts"]] == [False, True]

    read_only = env.tokens.password(ALICE, scope="read")
    env.api.call("POST", "/collections", token=read_only, json={"title": "No", "handles": ["bob"]}, expect=403)
    env.api.call("DELETE", "/collections/{id}", token=read_only, path={"id": collection_id}, expect=403)

    for unknown in ["12345", "abc"]:
        env.api.call("GET", "/collections/{id}", token=env.alice, path={"id": unknown}, expect=404)
        env.api.call("PUT", "/collections/{id}", token=env.alice, path={"id": unknown}, json={"title": "X"},
                     expect=404)
        env.api.call("DELETE", "/collections/{id}", token=env.alice, path={"id": unknown}, expect=404)
        env.api.call("POST", "/collections/{id}/follow", token=env.alice, path={"id": unknown}, expect=404)

    assert env.api.call("DELETE", "/collections/{id}", token=env.alice, path={"id": collection_id},
                        expect=204).content == b""
    env.api.call("GET", "/collections/{id}", token=env.alice, path={"id": collection_id}, expect=404)


# ---------------------------------------------------------------------------------------- moderation


def test_moderation(env: Env) -> None:
    # Bob posts; Alice flags it; the administrator (a moderator too) removes it; Bob reads why and appeals.
    posted = requests.post(f"{env.server.url}/api/v1/statuses", headers={"Authorization": f"Bearer {env.bob}"},
                           data={"status": "Cheap watches, buy now"}, timeout=TIMEOUT)
    assert posted.status_code == 200, posted.text
    post = posted.json()["id"]
    flag = env.api.call("POST", "/flags", token=env.alice, json={"target": f"post:{post}", "reason": "spam"},
                        expect=201).json()
    env.api.call("POST", "/flags", token=env.alice, json={"target": f"post:{post}", "reason": "spam"}, expect=409)
    env.api.call("POST", "/flags", token=env.bob, json={"target": f"post:{post}", "reason": "spam"}, expect=422)
    error = env.api.call("POST", "/flags", token=env.alice, json={"target": "post:x", "reason": "spam"},
                         expect=422).json()
    assert error["field"] == "target"
    env.api.call("POST", "/flags", token=env.alice, json={"target": "post:12345", "reason": "spam"}, expect=404)

    env.api.call("GET", "/moderation/queue", token=env.alice, expect=403)
    queue = env.api.call("GET", "/moderation/queue", token=env.admin, expect=200).json()
    entry = next(c for c in queue["cases"] if c["id"] == flag["case_id"])
    assert entry["flags"][0]["flagger"] == "alice" and entry["author"]["handle"] == "bob"

    case = {"id": flag["case_id"]}
    env.api.call("POST", "/moderation/cases/{id}/decisions", token=env.admin, path=case, json={"action": "remove"},
                 expect=422)
    env.api.call("POST", "/moderation/cases/{id}/decisions", token=env.alice, path=case,
                 json={"action": "remove", "reason": "Spam."}, expect=403)
    env.api.call("POST", "/moderation/cases/{id}/decisions", token=env.admin, path={"id": "12345"},
                 json={"action": "remove", "reason": "Spam."}, expect=404)
    decided = env.api.call("POST", "/moderation/cases/{id}/decisions", token=env.admin, path=case,
                           data={"action": "remove", "rule": "No advertising", "reason": "Spam."}, expect=200).json()
    assert decided["action"] == "remove" and decided["open"] is False
    env.api.call("POST", "/moderation/cases/{id}/decisions", token=env.admin, path=case,
                 json={"action": "hide", "reason": "Again."}, expect=409)
    notice = env.api.call("GET", "/moderation/cases/{id}", token=env.bob, path=case, expect=200).json()
    assert notice["is_author"] and notice["may_appeal"] and notice["content"]["withholding"] == "removed"
    env.api.call("GET", "/moderation/cases/{id}", token=env.alice, path=case, expect=404)
    env.api.call("POST", "/moderation/cases/{id}/appeal", token=env.bob, path=case, json={"text": ""}, expect=422)
    appealed = env.api.call("POST", "/moderation/cases/{id}/appeal", token=env.bob, path=case,
                            json={"text": "A colleague asked for it."}, expect=200).json()
    assert appealed["appeal_state"] == "pending"
    env.api.call("POST", "/moderation/cases/{id}/appeal", token=env.bob, path=case, json={"text": "Again."},
                 expect=409)

    # A community's policy, queue and health.
    env.api.call("GET", "/communities/{slug}/moderation/queue", token=env.alice, path={"slug": "nowhere"},
                 expect=404)
    made = requests.post(f"{env.server.url}{PREFIX}/communities", headers={"Authorization": f"Bearer {env.alice}"},
                         json={"slug": "forecasting", "name": "Forecasting", "kind": "interest"}, timeout=TIMEOUT)
    assert made.status_code == 201, made.text
    slug = {"slug": "forecasting"}
    policy = env.api.call("GET", "/communities/{slug}/moderation/policy", token=env.alice, path=slug,
                          expect=200).json()
    assert set(policy["modes"].values()) == {"open"}
    policy = env.api.call("PUT", "/communities/{slug}/moderation/policy", token=env.alice, path=slug,
                          json={"wiki": "pre"}, expect=200).json()
    assert policy["modes"]["wiki"] == "pre"
    env.api.call("PUT", "/communities/{slug}/moderation/policy", token=env.alice, path=slug,
                 json={"wiki": "never"}, expect=422)
    env.api.call("PUT", "/communities/{slug}/moderation/policy", token=env.bob, path=slug, json={"wiki": "open"},
                 expect=403)
    community_queue = env.api.call("GET", "/communities/{slug}/moderation/queue", token=env.alice, path=slug,
                                   expect=200).json()
    assert community_queue["community"]["slug"] == "forecasting" and community_queue["cases"] == []
    item = requests.post(f"{env.server.url}{PREFIX}/communities/forecasting/items",
                         headers={"Authorization": f"Bearer {env.alice}"},
                         json={"type": "article", "title": "Seasonal baselines", "body": "Start simple."},
                         timeout=TIMEOUT)
    assert item.status_code == 201, item.text
    marked = env.api.call("POST", "/items/{id}/health", token=env.alice, path={"id": item.json()["id"]},
                          json={"health": "obsolete"}, expect=200).json()
    assert marked["health"] == "obsolete"
    env.api.call("POST", "/items/{id}/health", token=env.alice, path={"id": item.json()["id"]},
                 json={"health": "great"}, expect=422)
    env.api.call("POST", "/items/{id}/health", token=env.bob, path={"id": item.json()["id"]},
                 json={"health": "obsolete"}, expect=403)
    health = env.api.call("GET", "/communities/{slug}/health", token=env.alice, path=slug, expect=200).json()
    assert [i["id"] for i in health["items"]] == [item.json()["id"]]
    env.api.call("GET", "/communities/{slug}/health", token=env.bob, path=slug, expect=403)

    # Watched words, settings and the audit log.
    env.api.call("GET", "/moderation/watched-words", token=env.bob, expect=403)
    word = env.api.call("POST", "/moderation/watched-words", token=env.admin, json={"word": "Crypto", "action": "hold"},
                        expect=201).json()
    env.api.call("POST", "/moderation/watched-words", token=env.admin, json={"word": "crypto"}, expect=409)
    env.api.call("POST", "/moderation/watched-words", token=env.admin, json={"word": "x", "action": "shout"},
                 expect=422)
    words = env.api.call("GET", "/moderation/watched-words", token=env.admin, expect=200).json()
    assert [w["word"] for w in words["watched_words"]] == ["crypto"]
    env.api.call("DELETE", "/moderation/watched-words/{id}", token=env.bob, path={"id": word["id"]}, expect=403)
    env.api.call("DELETE", "/moderation/watched-words/{id}", token=env.admin, path={"id": word["id"]}, expect=204)
    env.api.call("DELETE", "/moderation/watched-words/{id}", token=env.admin, path={"id": word["id"]}, expect=404)

    settings = env.api.call("GET", "/admin/moderation-settings", token=env.admin, expect=200).json()
    assert settings["retention_days"] == 30
    settings = env.api.call("PUT", "/admin/moderation-settings", token=env.admin,
                            json={"retention_days": 90, "hold_first_posts": False}, expect=200).json()
    assert settings["retention_days"] == 90
    error = env.api.call("PUT", "/admin/moderation-settings", token=env.admin, json={"review_after_days": 1},
                         expect=422).json()
    assert error["field"] == "review_after_days"
    env.api.call("PUT", "/admin/moderation-settings", token=env.alice, json={"retention_days": 1}, expect=403)
    env.api.call("GET", "/admin/moderation-settings", token=env.alice, expect=403)

    log = env.api.call("GET", "/admin/audit", token=env.admin, params={"limit": "2"}, expect=200).json()
    assert [e["action"] for e in log["entries"]] == ["settings.moderation", "watched_word.remove"]
    older = env.api.call("GET", "/admin/audit", token=env.admin, params={"before": log["next_before"]},
                         expect=200).json()
    assert "case.remove" in [e["action"] for e in older["entries"]]
    env.api.call("GET", "/admin/audit", token=env.admin, params={"before": "soon"}, expect=422)
    env.api.call("GET", "/admin/audit", token=env.alice, expect=403)


# ---------------------------------------------------------------------------------------- value creation


def test_value_stories_and_useful_marks(env: Env) -> None:
    # Alice asks in her community, Bob answers; the administrator marks the answer useful and tells the story.
    made = requests.post(f"{env.server.url}{PREFIX}/communities", headers={"Authorization": f"Bearer {env.alice}"},
                         json={"slug": "depots", "name": "Depots", "kind": "interest"}, timeout=TIMEOUT)
    assert made.status_code == 201, made.text
    for token in (env.bob, env.admin):
        joined = requests.post(f"{env.server.url}{PREFIX}/communities/depots/join",
                               headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
        assert joined.status_code == 200, joined.text
    asked = requests.post(f"{env.server.url}{PREFIX}/questions", headers={"Authorization": f"Bearer {env.alice}"},
                          json={"title": "How often are brakes tested?", "community": "depots"}, timeout=TIMEOUT)
    assert asked.status_code == 201, asked.text
    question = asked.json()["id"]
    answered = requests.post(f"{env.server.url}{PREFIX}/questions/{question}/answers",
                             headers={"Authorization": f"Bearer {env.bob}"}, json={"body": "Every shift."},
                             timeout=TIMEOUT)
    assert answered.status_code == 201, answered.text
    answer = answered.json()["id"]

    marked = env.api.call("POST", "/useful-marks", token=env.admin, json={"target": f"answer:{answer}"}, expect=200).json()
    assert marked == {"target": f"answer:{answer}", "marked": True}
    env.api.call("POST", "/useful-marks", token=env.bob, json={"target": f"answer:{answer}"}, expect=422)
    env.api.call("POST", "/useful-marks", token=env.admin, json={"target": f"question:{question}"}, expect=422)
    env.api.call("POST", "/useful-marks", token=env.admin, json={"target": "answer:12345"}, expect=404)

    story = env.api.call("POST", "/stories", token=env.admin, json={
        "title": "Brake checks before every shift", "community": "depots",
        "narrative_applied": "We test the brakes before every shift.",
        "links_applied": [f"/questions/{question}#answer-{answer}", "/@bob"],
        "narrative_realized": "No brake incident since."}, expect=201).json()
    assert [step["cycle"] for step in story["steps"]] == ["applied", "realized"]
    assert [link["target"] for link in story["steps"][0]["links"]] == [f"answer:{answer}", "profile:" + member_id(env, "bob")]
    assert story["community"]["slug"] == "depots"
    error = env.api.call("POST", "/stories", token=env.admin, json={"title": "No link", "narrative_applied": "x",
                                                                   "links_applied": ["/questions/12345"]},
                         expect=422).json()
    assert error["field"] == "links_applied"
    env.api.call("POST", "/stories", token=env.admin, json={"title": ""}, expect=422)
    env.api.call("POST", "/stories", token=env.admin, json={"title": "Elsewhere", "community": "nowhere",
                                                           "narrative_applied": "x"}, expect=404)
    env.api.call("POST", "/stories", token=env.alice, data={"title": "By form", "narrative_potential": "A contact."},
                 expect=201)

    read = env.api.call("GET", "/stories/{id}", token=env.bob, path={"id": story["id"]}, expect=200).json()
    assert read["title"] == "Brake checks before every shift" and read["withholding"] is None
    env.api.call("GET", "/stories/{id}", token=env.bob, path={"id": "12345"}, expect=404)
    page = env.api.call("GET", "/stories", token=env.bob, params={"limit": "1"}, expect=200).json()
    assert page["has_more"] is True and [s["title"] for s in page["stories"]] == ["By form"]
    older = env.api.call("GET", "/stories", token=env.bob, params={"before": page["stories"][0]["id"]}, expect=200).json()
    assert [s["title"] for s in older["stories"]] == ["Brake checks before every shift"]
    env.api.call("GET", "/stories", token=env.bob, params={"community": "depots"}, expect=200)
    env.api.call("GET", "/stories", token=env.bob, params={"community": "nowhere"}, expect=404)
    env.api.call("GET", "/stories", token=env.bob, params={"before": "soon"}, expect=422)

    env.api.call("DELETE", "/useful-marks/{target}", token=env.admin, path={"target": f"answer:{answer}"}, expect=204)
    env.api.call("DELETE", "/useful-marks/{target}", token=env.admin, path={"target": f"answer:{answer}"}, expect=204)
    env.api.call("DELETE", "/useful-marks/{target}", token=env.admin, path={"target": "question:1"}, expect=422)
    app_token = env.tokens.client_credentials("read write")
    env.api.call("GET", "/stories", token=app_token, expect=403)
