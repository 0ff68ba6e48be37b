#!/usr/bin/env python3
"""Writes through the API while a read benchmark runs, so kept pages keep being dropped as they would be in
use: each round, one of the benchmark's members publishes a post, favourites and unfavourites the newest
status of their home timeline, and deletes the post again (the database ends as it began).

Usage: write-load.py BASE_URL TOKEN_FILE ROUNDS_PER_SECOND SECONDS; prints the writes made."""
import json
import random
import sys
import time
import urllib.parse
import urllib.request

base, token_file, rate, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
tokens = [line.strip() for line in open(token_file) if line.strip()]
rng = random.Random(1)


def call(method, path, token, form=None):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


writes = 0
end = time.monotonic() + seconds
next_round = time.monotonic()
while time.monotonic() < end:
    token = rng.choice(tokens)
    posted = call("POST", "/api/v1/statuses", token, {"status": "Benchmark note on #flow"})
    writes += 1
    home = call("GET", "/api/v1/timelines/home?limit=5", token)
    shown = next((s["id"] for s in home if s["id"] != posted["id"] and not s["favourited"]), None)
    if shown:
        call("POST", f"/api/v1/statuses/{shown}/favourite", token, {})
        call("POST", f"/api/v1/statuses/{shown}/unfavourite", token, {})
        writes += 2
    call("DELETE", f"/api/v1/statuses/{posted['id']}", token)
    writes += 1
    next_round += 1 / rate
    time.sleep(max(0.0, next_round - time.monotonic()))
print(writes)
