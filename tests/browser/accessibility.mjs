// axe-core (pinned in package.json) on the storefront with the widget closed, open, and
// showing products and a cart, on desktop and at 375 px; no serious or critical violation
// may remain. Also: new messages land inside the polite live region.
// Usage: node accessibility.mjs <storefront-url> <screenshot-dir>
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { addToCart, ask, openWidget, scenario, widgetOf } from "./harness.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const BLOCKING = new Set(["serious", "critical"]);

/** Run axe on the whole document (it walks open shadow roots, so the widget is included). */
async function audit(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const report = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    });
    return { version: report.testEngine.version, passes: report.passes.length,
             violations: report.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length,
                                                         targets: v.nodes.slice(0, 3).map((n) => n.target) })) };
  });
}

await scenario("a11y", async ({ page, base, check, shot, result }) => {
  const widget = widgetOf(page);
  result.audits = {};
  const record = async (state) => {
    const report = await audit(page);
    result.axe_version = report.version;
    result.audits[state] = { passes: report.passes, violations: report.violations };
    const blocking = report.violations.filter((v) => BLOCKING.has(v.impact));
    check(blocking.length === 0, `${state}: serious/critical axe violations ${JSON.stringify(blocking)}`);
  };
  await page.goto(base + "/");
  await record("closed");
  await openWidget(page);
  await record("open");

  const log = widget.locator(".log");
  check(await log.getAttribute("aria-live") === "polite" && await log.getAttribute("role") === "log",
        "the message list is not a polite live region");
  await page.evaluate(() => {  // count what is added to the live region while the shopper asks
    const region = document.querySelector("#omnishop-widget").shadowRoot.querySelector("[aria-live]");
    window.liveAdditions = [];
    new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) =>
      window.liveAdditions.push(n.textContent.trim().slice(0, 80))))).observe(region, { childList: true, subtree: true });
  });
  await ask(page, "a waterproof jacket in blue, any size");
  await widget.locator(".card").first().waitFor();
  const added = await page.evaluate(() => window.liveAdditions);
  check(added.some((t) => t.includes("a waterproof jacket in blue, any size")), "the shopper's message was not added to the live region");
  check(added.length >= 2, `the bot's answer was not added to the live region: ${JSON.stringify(added)}`);
  result.live_region_additions = added.length;
  await record("products");
  await addToCart(page, widget.locator(".card").first());
  await record("cart");
  await shot(page, "01-audited-desktop");

  await page.setViewportSize({ width: 375, height: 667 });
  await record("mobile");
}, { contextOptions: { bypassCSP: true } });  // the storefront's CSP would refuse the injected axe source
