-- wrk script: each request authenticates as the next member in a list of bearer tokens (one per line in
-- the file named by TOKENS), so the server serves many members' timelines, not one member's over and over.
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do
    if #line > 0 then tokens[#tokens + 1] = line end
end
local counter = 0

request = function()
    counter = counter + 1
    local token = tokens[(counter % #tokens) + 1]
    return wrk.format("GET", wrk.path, { ["Authorization"] = "Bearer " .. token })
end
