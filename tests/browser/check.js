// Opens an interdict HTML report in Debian's Chromium (playwright-core, headless) and checks
// it against what the Rust test (tests/it/browser.rs) computed from the report model:
//   node check.js REPORT.html EXPECTED.json ARTIFACTS_DIR NAME
// EXPECTED.json: { transactions: [{ transaction, nodes: [id], edges: ["from>to:kind"],
//   witness: ["from>to:j j"], marks: { party: "j:status ..." }, reason?: { jurisdiction, rule, url } }] }
// Prints one line per failure and exits 1 if any; keeps screenshots in ARTIFACTS_DIR: NAME.png
// (the whole page), NAME-top.png, NAME-graph.png (a graph with holdings) and NAME-phone.png.
"use strict";
const path = require("path");
const fs = require("fs");
const { pathToFileURL } = require("url");
const { chromium } = require(path.join(process.env.INTERDICT_TEST_NODE_MODULES, "playwright-core"));

const [html, expectedPath, artifacts, name] = process.argv.slice(2);
const expected = JSON.parse(fs.readFileSync(expectedPath, "utf8"));
const failures = [];
function same(what, got, want) {
  const g = JSON.stringify(got), w = JSON.stringify(want);
  if (g !== w) failures.push(`${what}: got ${g}, want ${w}`);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.INTERDICT_TEST_CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on("pageerror", (e) => failures.push(`script error: ${e.message}`));
    // The report must need no network: any request leaving the file fails the check. A
    // followed citation link is answered here, not by the network.
    const requested = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      requested.push(url);
      return route.fulfill({ status: 200, contentType: "text/html", body: "<title>cited</title>" });
    });
    await page.goto(pathToFileURL(path.resolve(html)).href);
    same("requests while loading", requested.slice(), []);

    // Keyboard: the first Tab reaches the skip link.
    await page.keyboard.press("Tab");
    same("first focus", await page.evaluate(() => document.activeElement.className), "skip");

    for (const tx of expected.transactions) {
      const article = page.locator(`article.decision[data-transaction="${tx.transaction}"]`);
      const at = `${tx.transaction}:`;
      same(at + " nodes", (await article.locator("svg g.node").evaluateAll(
        (els) => els.map((e) => e.dataset.party))).sort(), tx.nodes.slice().sort());
      same(at + " edges", (await article.locator("svg g.edge").evaluateAll(
        (els) => els.map((e) => `${e.dataset.from}>${e.dataset.to}:${e.dataset.kind}`))).sort(),
        tx.edges.slice().sort());
      same(at + " highlighted path", (await article.locator("svg g.edge.witness").evaluateAll(
        (els) => els.map((e) => `${e.dataset.from}>${e.dataset.to}:${e.dataset.witness}`))).sort(),
        tx.witness.slice().sort());
      const marks = await article.locator("svg g.node").evaluateAll((els) =>
        Object.fromEntries(els.filter((e) => e.dataset.marks).map((e) => [e.dataset.party, e.dataset.marks])));
      same(at + " marks", marks, tx.marks);
      if (tx.reason) {
        const r = tx.reason;
        const details = article.locator(
          `section.outcome[data-jurisdiction="${r.jurisdiction}"] details.reason[data-rule="${r.rule}"]`).first();
        const link = details.locator("a.cite").first();
        same(at + " reason closed at first", await link.isVisible(), false);
        // Expanded from the keyboard: focus its summary, press Enter.
        await details.locator("summary").focus();
        await page.keyboard.press("Enter");
        same(at + " reason open", await details.evaluate((d) => d.open), true);
        same(at + " citation visible", await link.isVisible(), true);
        same(at + " citation href", await link.getAttribute("href"), r.url);
        const [popup] = await Promise.all([
          page.waitForEvent("popup", { timeout: 1000 }).catch(() => null),
          page.waitForNavigation({ timeout: 5000 }).catch(() => null),
          link.click(),
        ]);
        const landed = popup ? popup.url() : page.url();
        same(at + " citation followed to", landed, r.url);
        if (!popup) await page.goBack();
        else await popup.close();
      }
    }
    await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
    // For docs/reports.md: the top of the page, and the first graph with an ownership link.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(artifacts, `${name}-top.png`) });
    const owned = page.locator("figure.graph-figure:has(g.edge.kind-owns)").first();
    if (await owned.count()) {
      await owned.screenshot({ path: path.join(artifacts, `${name}-graph.png`) });
    }

    // A phone: nothing wider than the screen but the scrolling boxes made for it.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    phone.on("pageerror", (e) => failures.push(`script error (phone): ${e.message}`));
    await phone.goto(pathToFileURL(path.resolve(html)).href);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    same("phone: page wider than the screen by", overflow > 0 ? overflow : 0, 0);
    await phone.screenshot({ path: path.join(artifacts, `${name}-phone.png`), fullPage: false });
  } finally {
    await browser.close();
  }
  for (const f of failures) console.log(f);
  process.exit(failures.length ? 1 : 0);
})().catch((e) => {
  console.log(`check.js failed: ${e.stack || e}`);
  process.exit(2);
});
