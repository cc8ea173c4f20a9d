#!/usr/bin/env node
// Replays an example world's referral traffic (world/referrals.jsonl and world/advocates.csv from `vouch synth`,
// docs/synth.md) through a running `vouch serve` over real HTTP, as a shop and its visitors would send it:
//   1. one program (10% of each sale, 30 days hold), every enrolled advocate, and a link per advocate whose code is
//      the world's code (a vanity code), so the world's events name the links directly;
//   2. every event in time order: click = GET /r/{code} with the visitor's cookie and user agent (the 302's
//      vouch_click is kept for the visitor), lead = POST /api/v1/track/lead with that click id, sale =
//      POST /api/v1/track/sale, refund = POST /api/v1/track/refund.
// The service stamps events with its own clock: replayed traffic lands on the day of the replay (so the program
// turns off the too-soon-after-the-click rule, which replayed time stamps cannot satisfy).
// Usage: replay-referrals.mjs --base http://127.0.0.1:PORT --key WRITE_KEY --world DIR [--destination URL]
// Prints a JSON summary (requests per kind and status) on stdout; exits 1 if a request failed unexpectedly.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
for (const need of ["base", "key", "world"]) {
  if (!args[need]) { console.error(`replay-referrals: --${need} is required`); process.exit(2); }
}
const base = args.base.replace(/\/$/, "");
const auth = { Authorization: `Bearer ${args.key}`, "Content-Type": "application/json" };
const destination = args.destination || "https://shop.example.com/";
const summary = { advocates: 0, links: 0, requests: {}, unexpected: [] };

function count(kind, status) {
  const k = `${kind} ${status}`;
  summary.requests[k] = (summary.requests[k] || 0) + 1;
}

async function post(kind, path, body, okStatuses = [200, 201]) {
  const r = await fetch(base + path, { method: "POST", headers: auth, body: JSON.stringify(body) });
  const text = await r.text();
  count(kind, r.status);
  if (!okStatuses.includes(r.status) && summary.unexpected.length < 20) {
    summary.unexpected.push({ kind, status: r.status, body: text.slice(0, 300) });
  }
  try { return { status: r.status, json: JSON.parse(text) }; } catch { return { status: r.status, json: null }; }
}

// CSV with quoted fields (names may hold commas).
function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const out = []; let cur = ""; let q = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (q) { if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c; }
      else if (c === '"') q = true; else if (c === ",") { out.push(cur); cur = ""; } else cur += c;
    }
    out.push(cur);
    rows.push(out);
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ""])));
}

const customerId = (e) => e.customer_external_id || `email:${(e.email || "").toLowerCase()}`;

const program = await post("program", "/api/v1/programs", {
  name: "Example world referral program", destination_url: destination,
  rewards: [{ event: "sale", type: "percent", value: 10 }], hold_days: 30,
  // The replay compresses a month into seconds: the "converted implausibly soon after the click" rule cannot
  // judge replayed time stamps, so it is off for this program; every other fraud rule stays on.
  min_conversion_seconds: 0,
});
if (!program.json || !program.json.id) { console.error("replay-referrals: cannot create the program", program); process.exit(1); }

for (const a of parseCsv(readFileSync(join(args.world, "advocates.csv"), "utf8"))) {
  const adv = await post("advocate", "/api/v1/advocates", { name: a.name, email: a.email });
  if (!adv.json || !adv.json.id) continue;
  summary.advocates++;
  const link = await post("link", "/api/v1/links", { program_id: program.json.id, advocate_id: adv.json.id, code: a.code },
                          [200, 201, 409]);
  if (link.status < 300) summary.links++;
}

const clickOf = new Map();  // visitor|code -> vouch_click
const events = readFileSync(join(args.world, "referrals.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
for (const e of events) {
  if (e.type === "click") {
    const r = await fetch(`${base}/r/${encodeURIComponent(e.code)}`, {
      redirect: "manual", headers: { "User-Agent": e.user_agent, Cookie: `vouch_vid=${e.visitor}` },
    });
    count("click", r.status);
    await r.arrayBuffer();
    const loc = r.headers.get("location");
    if (r.status === 302 && loc) {
      const token = new URL(loc).searchParams.get("vouch_click");
      if (token) clickOf.set(`${e.visitor}|${e.code}`, token);
    } else if (summary.unexpected.length < 20) summary.unexpected.push({ kind: "click", status: r.status, code: e.code });
  } else if (e.type === "lead") {
    const click = clickOf.get(`${e.visitor}|${e.code}`);
    await post("lead", "/api/v1/track/lead", {
      ...(click ? { click_id: click } : { code: e.code }),
      customer: { external_id: customerId(e), email: e.email }, ip: e.ip, user_agent: e.user_agent,
    }, [200, 201, 409]);
  } else if (e.type === "sale") {
    const click = clickOf.get(`${e.visitor}|${e.code}`);
    await post("sale", "/api/v1/track/sale", {
      customer_external_id: customerId(e), customer: { email: e.email }, invoice_id: e.invoice_id,
      amount: e.amount, currency: e.currency, ...(click ? { click_id: click } : {}), ip: e.ip, user_agent: e.user_agent,
    });
  } else if (e.type === "refund") {
    await post("refund", "/api/v1/track/refund", { invoice_id: e.invoice_id }, [200, 201, 404]);
  }
}
summary.events = events.length;
console.log(JSON.stringify(summary, null, 1));
process.exit(summary.unexpected.length ? 1 : 0);
