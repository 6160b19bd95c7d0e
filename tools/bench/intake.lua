-- wrk script for tools/bench/intake_load.sh: POST /api/v1/appeals with a NOISE, LIGHTING or GARBAGE appeal at a
-- random point of the pilot/central area (lat 42.29–42.33, lon 69.59–69.63), with a contact and consent.
-- Prints one RESULT line (requests/s, p50, p99, non-2xx count) when done.
local categories = {"NOISE", "LIGHTING", "GARBAGE"}
local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
    table.insert(threads, thread)
end

function init(args)
    math.randomseed(os.time() + (id or 0) * 7919)
    non2xx = 0
end

function request()
    local body = string.format(
        '{"category":"%s","description":"Шум во дворе по ночам, benchmark appeal","location":{"lat":%.6f,"lon":%.6f},' ..
        '"contact":{"name":"Bench Resident","phone":"+7 700 %03d %02d %02d"},"consent":true}',
        categories[math.random(#categories)], 42.29 + math.random() * 0.04, 69.59 + math.random() * 0.04,
        math.random(0, 999), math.random(0, 99), math.random(0, 99))
    return wrk.format("POST", "/api/v1/appeals", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
        if non2xx <= 3 then io.stderr:write("non-2xx " .. status .. ": " .. body:sub(1, 300) .. "\n") end
    end
end

function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local bad = 0
    for _, thread in ipairs(threads) do bad = bad + (thread:get("non2xx") or 0) end
    local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d socket_errors=%d\n",
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, bad, socket))
end
