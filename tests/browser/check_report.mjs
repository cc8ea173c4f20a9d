#!/usr/bin/env node
// Browser check of the Measure report and dashboard (tests/browser/report_browser_test.sh runs it): Playwright
// (npm playwright-core) drives Debian's Chromium headless (/usr/bin/chromium; never a downloaded browser).
//   --report FILE      report.html from `vouch report`
//   --base URL         a running `vouch serve`, whose dashboard is at URL/
//   --key KEY          a read key for the dashboard and the API
//   --shots DIR        where the screenshots go (test artefacts)
// For both pages: every section with data drew its chart (a Chart.js instance with data points, and pixels on its
// canvas), every section without data says so; the headline numbers equal the API's; no script error.
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const root = new URL("../..", import.meta.url).pathname;
const { chromium } = require(join(root, "node_modules", "playwright-core"));
mkdirSync(args.shots, { recursive: true });

const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };

const api = await (await fetch(`${args.base}/api/v1/report/all`, { headers: { Authorization: `Bearer ${args.key}` } })).json();
check(api && api.kpis, "GET /api/v1/report/all answered no kpis");

const browser = await chromium.launch({
  executablePath: process.env.VOUCH_CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  // Offline: the report must need nothing from the network.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());

  async function inspect(page, label) {
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    return errors;
  }

  async function verify(page, label, errors) {
    await page.waitForSelector("body[data-rendered=true]", { timeout: 10000 });
    const state = await page.evaluate(() => {
      const d = window.vouchReport;
      const charts = {};
      for (const [id, c] of Object.entries(window.vouchCharts)) {
        const points = c.data.datasets.reduce((n, ds) => n + ds.data.filter((x) => x !== null && x !== 0).length, 0);
        // Pixels drawn: some non-transparent pixel on the canvas.
        const cv = c.canvas, ctx = cv.getContext("2d");
        const img = ctx.getImageData(0, 0, cv.width, cv.height).data;
        let painted = 0;
        for (let i = 3; i < img.length; i += 16) if (img[i] !== 0) painted++;
        charts[id] = { points, painted, width: cv.width, height: cv.height };
      }
      const kpis = {};
      document.querySelectorAll("[data-kpi]").forEach((e) => (kpis[e.dataset.kpi] = e.dataset.value));
      const nodata = [...document.querySelectorAll("[data-nodata]")].map((e) => e.dataset.nodata);
      const sections = Object.fromEntries(Object.entries(d).filter(([, v]) => v && v.state).map(([k, v]) => [k, v.state.available]));
      return { charts, kpis, nodata, sections };
    });
    // Sections with a chart of their own (alerts and advocates are lists; growth is drawn inside economics).
    const charted = ["volume", "share_of_voice", "sentiment", "wom", "funnel", "economics", "emv", "campaign"];
    for (const name of charted) {
      if (state.sections[name]) {
        const c = state.charts[name];
        check(c, `${label}: section ${name} has data but drew no chart`);
        if (c) {
          check(c.points > 0, `${label}: chart ${name} has no data points`);
          check(c.painted > 50, `${label}: chart ${name} painted nothing (${c.painted} pixels)`);
        }
      } else {
        check(state.nodata.includes(name), `${label}: section ${name} has no data but does not say so`);
      }
    }
    for (const name of ["advocates", "alerts"]) {
      if (!state.sections[name]) check(state.nodata.includes(name), `${label}: section ${name} has no data but does not say so`);
    }
    if (state.sections.advocates) {
      const rows = await page.locator("table[data-table=advocates] tr").count();
      check(rows === api.advocates.rows.length + 1, `${label}: advocates table has ${rows - 1} rows, the API ${api.advocates.rows.length}`);
    }
    // Headline numbers equal the API's.
    for (const [key, value] of Object.entries(api.kpis)) {
      if (key === "currency") continue;
      const shown = state.kpis[key];
      if (shown === undefined) continue;
      const want = value === null ? "" : String(value);
      const same = value === null ? shown === "" : Math.abs(Number(shown) - Number(value)) <= 1e-9 * Math.max(1, Math.abs(Number(value)));
      check(same, `${label}: KPI ${key} shows ${shown}, the API says ${want}`);
    }
    check(errors.length === 0, `${label}: script errors: ${errors.join(" | ")}`);
    return state;
  }

  // The static report, opened from the file system.
  const report = await context.newPage();
  const reportErrors = await inspect(report, "report.html");
  await report.goto("file://" + args.report);
  const r = await verify(report, "report.html", reportErrors);
  await report.screenshot({ path: join(args.shots, "report.png"), fullPage: true });

  // The dashboard: first without a key (the login form), then with one.
  const dash = await context.newPage();
  const dashErrors = await inspect(dash, "dashboard");
  await dash.goto(`${args.base}/`);
  await dash.waitForSelector("#login:not([hidden])", { timeout: 10000 });
  await dash.fill("#key", args.key);
  await dash.click("#go");
  const d = await verify(dash, "dashboard", dashErrors);
  await dash.screenshot({ path: join(args.shots, "dashboard.png"), fullPage: true });

  const drawn = Object.keys(r.charts).length;
  console.log(`report.html: ${drawn} charts drawn, sections without data: ${r.nodata.join(", ") || "none"}`);
  console.log(`dashboard: ${Object.keys(d.charts).length} charts drawn; screenshots in ${args.shots}`);
} finally {
  await browser.close();
}
if (failures.length) {
  for (const f of failures) console.error("FAIL: " + f);
  process.exit(1);
}
