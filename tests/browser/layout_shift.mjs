// The widget never moves the host page: cumulative layout shift, measured with a
// PerformanceObserver from before the page's first byte, stays below 0.01 while the page
// and widget load, the panel opens (programmatically too, so no shift is excused as
// following input) and an answer with product cards arrives; the page's content stays put.
// Usage: node layout_shift.mjs <storefront-url> <screenshot-dir>
import { ask, openWidget, scenario, widgetOf } from "./harness.mjs";

const MAX_CLS = 0.01;

await scenario("layout-shift", async ({ page, base, check, result }) => {
  await page.addInitScript(() => {
    window.layoutShifts = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) =>
      window.layoutShifts.push({ value: e.value, input: e.hadRecentInput,
                                 sources: (e.sources || []).map((s) => s.node && (s.node.id || s.node.nodeName)) })))
      .observe({ type: "layout-shift", buffered: true });
  });
  const where = () => page.evaluate(() => ["header", "main", "footer", ".hero"].map((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return [sel, Math.round(r.top), Math.round(r.left), Math.round(r.width), Math.round(r.height)];
  }).concat([["document", document.documentElement.scrollHeight, document.documentElement.scrollWidth]]));

  await page.goto(base + "/", { waitUntil: "load" });
  await widgetOf(page).locator(".launcher").waitFor();
  const loaded = await where();
  await page.evaluate(() => window.OmnishopWidget.open());
  await page.evaluate(() => window.OmnishopWidget.close());
  await openWidget(page);
  await ask(page, "show me backpacks");
  await widgetOf(page).locator(".card").first().waitFor();
  await page.waitForTimeout(500);  // let late image loads report their shifts
  check(JSON.stringify(await where()) === JSON.stringify(loaded), "the host page's content moved when the widget opened");

  const shifts = await page.evaluate(() => window.layoutShifts);
  result.shifts = shifts;
  result.cls = shifts.filter((s) => !s.input).reduce((sum, s) => sum + s.value, 0);
  result.all_shifts_total = shifts.reduce((sum, s) => sum + s.value, 0);
  check(result.cls < MAX_CLS, `cumulative layout shift ${result.cls} (≥ ${MAX_CLS}): ${JSON.stringify(shifts)}`);
  // Shifts right after a click are excused by CLS; a widget has no excuse to move the page.
  check(result.all_shifts_total < MAX_CLS, `layout shift after input ${result.all_shifts_total}: ${JSON.stringify(shifts)}`);
});
