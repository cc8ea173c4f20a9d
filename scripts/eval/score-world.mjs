#!/usr/bin/env node
// Scores what the pipeline found on an example world against the world's ground truth (world/truth, docs/synth.md).
//   --world DIR       the world from `vouch synth`
//   --acts FILE       acts per post: JSON Lines {"id": "PLATFORM:ID", "act"} (`vouch classify` output, or the
//                     workspace's stored mentions in the same shape)
//   --seeds FILE      the chosen advocates, one X handle per line (`vouch advocates --output`)
//   --flagged FILE    invoice ids the referral service held, rejected or flagged for fraud, one per line
//   --json FILE       also write the scores as JSON
// Prints a table: act accuracy (all posts, and posts about a brand), macro-F1, advocates recovered (precision of
// the seed set, recall of the true advocates), fraud caught (recall over the planted fraudulent orders, precision
// of the flags).
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
if (!args.world) { console.error("score-world: --world is required"); process.exit(2); }

function csv(file) {
  const lines = readFileSync(file, "utf8").split(/\r?\n/).filter(Boolean);
  const head = lines.shift().split(",");
  return lines.map((l) => {
    const cells = l.split(",");
    // The last column may hold commas (free text): join the rest into it.
    const row = cells.slice(0, head.length - 1);
    row.push(cells.slice(head.length - 1).join(","));
    return Object.fromEntries(head.map((h, i) => [h, row[i] ?? ""]));
  });
}
const lines = (file) => (file && existsSync(file) ? readFileSync(file, "utf8").split(/\r?\n/).map((s) => s.trim()).filter(Boolean) : null);
const scores = {};

// Acts.
if (args.acts && existsSync(args.acts)) {
  const truth = new Map(csv(join(args.world, "truth/posts.csv")).map((r) => [`${r.platform}:${r.id}`, r]));
  const ACTS = ["endorse", "complain", "share", "ask", "other"];
  let n = 0, right = 0, nb = 0, rightb = 0;
  const conf = Object.fromEntries(ACTS.map((a) => [a, { tp: 0, fp: 0, fn: 0 }]));
  for (const l of lines(args.acts)) {
    const p = JSON.parse(l);
    const t = truth.get(p.id);
    if (!t) continue;
    n++;
    if (p.act === t.act) right++;
    if (t.brand) {
      nb++;
      if (p.act === t.act) rightb++;
      if (p.act === t.act) conf[t.act].tp++; else { if (conf[p.act]) conf[p.act].fp++; conf[t.act].fn++; }
    }
  }
  const f1 = ACTS.map((a) => { const c = conf[a]; const d = 2 * c.tp + c.fp + c.fn; return d ? (2 * c.tp) / d : 0; });
  scores.acts = { posts: n, accuracy: n ? right / n : null, brand_posts: nb, brand_accuracy: nb ? rightb / nb : null,
                  brand_macro_f1: f1.reduce((a, b) => a + b, 0) / ACTS.length };
}

// Advocates.
const seeds = lines(args.seeds);
if (seeds) {
  const truePeople = new Set(), handleToPerson = new Map();
  for (const r of csv(join(args.world, "truth/people.csv"))) {
    if (r.platform === "x") handleToPerson.set(r.handle.toLowerCase(), r.person);
    if (r.advocate === "1") truePeople.add(r.person);
  }
  const found = new Set(seeds.map((s) => handleToPerson.get(s.replace(/^@/, "").toLowerCase())).filter((p) => truePeople.has(p)));
  scores.advocates = { chosen: seeds.length, true_advocates: truePeople.size, recovered: found.size,
                       precision: seeds.length ? found.size / seeds.length : null,
                       recall: truePeople.size ? found.size / truePeople.size : null };
}

// Fraud.
const flagged = lines(args.flagged);
if (flagged) {
  const fraud = new Map(csv(join(args.world, "truth/fraud.csv")).map((r) => [r.order_id_or_code, r.kind]));
  const flaggedSet = new Set(flagged);
  const byKind = {};
  for (const [order, kind] of fraud) {
    byKind[kind] = byKind[kind] || { planted: 0, caught: 0 };
    byKind[kind].planted++;
    if (flaggedSet.has(order)) byKind[kind].caught++;
  }
  const caught = [...fraud.keys()].filter((o) => flaggedSet.has(o)).length;
  scores.fraud = { planted: fraud.size, flagged: flaggedSet.size, caught,
                   recall: fraud.size ? caught / fraud.size : null,
                   precision: flaggedSet.size ? caught / flaggedSet.size : null, by_kind: byKind };
}

const pct = (x) => (x === null || x === undefined ? "n/a" : (100 * x).toFixed(1) + "%");
const rows = [];
if (scores.acts) {
  rows.push(["act accuracy, all posts", pct(scores.acts.accuracy), `${scores.acts.posts} posts`]);
  rows.push(["act accuracy, brand posts", pct(scores.acts.brand_accuracy), `${scores.acts.brand_posts} posts`]);
  rows.push(["act macro-F1, brand posts", scores.acts.brand_macro_f1.toFixed(3), "endorse/complain/share/ask/other"]);
} else rows.push(["act accuracy", "n/a", "no acts file"]);
if (scores.advocates) {
  const a = scores.advocates;
  rows.push(["advocates recovered", `${a.recovered} of ${a.chosen}`, `precision ${pct(a.precision)}, recall ${pct(a.recall)} of ${a.true_advocates} true advocates`]);
} else rows.push(["advocates recovered", "n/a", "no seed set"]);
if (scores.fraud) {
  const f = scores.fraud;
  const kinds = Object.entries(f.by_kind).map(([k, v]) => `${k} ${v.caught}/${v.planted}`).join(", ");
  rows.push(["fraud caught", `${f.caught} of ${f.planted}`, `recall ${pct(f.recall)}, precision ${pct(f.precision)} of ${f.flagged} flagged (${kinds})`]);
} else rows.push(["fraud caught", "n/a", "no referral traffic"]);
rows.unshift(["against the world's ground truth", "score", "detail"]);
const w0 = Math.max(...rows.map((r) => r[0].length)), w1 = Math.max(...rows.map((r) => r[1].length));
for (const r of rows) console.log(`${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`);
if (args.json) writeFileSync(args.json, JSON.stringify(scores, null, 1) + "\n");
