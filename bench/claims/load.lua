-- wrk script of the end-to-end claims bench (bench/claims/run.sh). Modes, after `--`:
--   claim    POST the request line's URL with a valid claim body (spec/claims-api.md)
--   putitem  DynamoDB PutItem of a new item per request (TableName from the second argument), with
--            the headers the AWS SDK sends, under a key the sandbox did not issue (signature not checked)
-- An argument pace=MS makes every connection wait after each answer before its next request (wrk's delay()), a random
-- time with a mean of MS milliseconds (exponentially distributed, as the gaps between independent users' requests
-- are): 32 connections at pace=32 offer at most 1,000 requests/s on average, so the latency is measured below
-- saturation rather than as queueing behind 32 requests always in flight. A fixed wait would keep the connections
-- in step: wrk starts them together, so they send in waves of 32 that queue behind each other however low the
-- average rate (docs/PERFORMANCE.md, "End to end", round 7).
-- Every thread counts its responses by status; done() prints one RESULT line for run.sh to parse.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local mode, table_name, counter = "claim", "claimsTable", 0
statuses = {}

function init(args)
  mode = args[1] or "claim"
  for i = 2, #args do
    local pace = args[i]:match("^pace=(%d+)$")
    if pace then
      local mean = tonumber(pace)
      math.randomseed(os.time() * 100 + id)
      delay = function() return math.floor(-mean * math.log(1 - math.random())) end
    elseif i == 2 then
      table_name = args[i]
    end
  end
  if mode == "claim" then
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.body = '{"amount":125.5,"currency":"EUR","description":"Physiotherapy, 3 sessions"}'
  elseif mode == "putitem" then
    -- Keys unique across runs as well (the run's start second): a second run's items would otherwise fail
    -- attribute_not_exists with 400.
    run = string.format("%x", os.time())
    wrk.method = "POST"
    wrk.path = "/"
    wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
    wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.PutItem"
    wrk.headers["X-Amz-Date"] = "20261122T080000Z"
    -- wrk cannot sign each request, so the key is one Cloister did not issue: the developer's own
    -- credentials, the account's root, whose signature the tables service cannot check (docs/iam.md).
    -- The function's SDK calls are signed with its role's keys and verified (about 5 µs each more).
    wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261122/eu-central-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
    request = function()
      counter = counter + 1
      local key = "BENCH#" .. run .. "-" .. id .. "-" .. counter
      return wrk.format(nil, nil, nil,
        '{"TableName":"' .. table_name .. '","Item":{"PK":{"S":"' .. key .. '"},"SK":{"S":"CLAIM#' .. counter ..
        '"},"amount":{"N":"125.5"},"currency":{"S":"EUR"},"description":{"S":"Physiotherapy, 3 sessions"},"version":{"N":"1"}},' ..
        '"ConditionExpression":"attribute_not_exists(PK)"}')
    end
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  local codes = {}
  for status, count in pairs(merged) do
    table.insert(codes, status .. ":" .. count)
  end
  table.sort(codes)
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d connect=%d read=%d write=%d timeout=%d statuses=%s\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors.status, errors.connect, errors.read, errors.write, errors.timeout, table.concat(codes, ",")))
end
