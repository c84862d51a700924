// A shopper in a real browser: open the storefront, open the widget, ask for a constrained
// product, add it to the cart, check out; then reload and find the conversation still there.
// Usage: node widget_flow.mjs <web-url> <screenshot-dir>
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const [base, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
const fail = (message) => { console.error("FAIL: " + message); process.exitCode = 1; };
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on("dialog", async (dialog) => { fail(`a script ran: ${dialog.message()}`); await dialog.dismiss(); });
const started = Date.now();
try {
  await page.goto(base + "/");
  const widget = page.locator("#omnishop-widget");
  await widget.getByRole("button", { name: /open/i }).click();
  await page.screenshot({ path: `${shots}/01-widget-open.png` });

  const input = widget.getByRole("textbox", { name: "Message" });
  await input.fill("men's running shoes under $100 in size 10");
  const sentAt = Date.now();
  await input.press("Enter");
  const cards = widget.locator(".card");
  await cards.first().waitFor({ timeout: 60000 });
  console.log(`first reply with products after ${Date.now() - sentAt} ms`);
  await page.screenshot({ path: `${shots}/02-product-carousel.png` });

  const prices = await widget.locator(".card .price").evaluateAll((nodes) =>
    nodes.map((n) => parseFloat(n.firstChild.textContent.replace(/[^0-9.]/g, ""))));
  if (!prices.length || prices.some((p) => !(p <= 100))) fail(`prices not all under $100: ${prices}`);
  const chips = await widget.locator(".card .sizes").evaluateAll((nodes) =>
    nodes.map((n) => [...n.querySelectorAll(".size")].map((c) => c.textContent)));
  if (chips.some((c) => !c.includes("10"))) fail(`a card is not in stock in size 10: ${JSON.stringify(chips)}`);

  await cards.first().getByRole("button", { name: "Add to cart" }).click();
  await widget.locator(".table", { hasText: "Your cart" }).last().waitFor({ timeout: 60000 });
  await page.screenshot({ path: `${shots}/03-cart.png` });

  await input.fill("checkout");
  await input.press("Enter");
  await widget.getByRole("button", { name: "Yes, place order" }).last().waitFor({ timeout: 60000 });
  await widget.getByRole("button", { name: "Yes, place order" }).last().click();
  await widget.locator(".table", { hasText: /Order OS-.*placed/ }).waitFor({ timeout: 60000 });
  await page.screenshot({ path: `${shots}/04-order-confirmation.png` });

  // Markup typed by a shopper (or coming from the catalog) is shown as text, never run.
  const attack = "<img src=x onerror=alert(1)>";
  await input.fill(attack);
  await input.press("Enter");
  await widget.locator(".user .bubble", { hasText: attack }).waitFor({ timeout: 10000 });
  if (await widget.locator(".log img[src='x']").count()) fail("user text was rendered as HTML");

  await page.reload();
  await widget.getByRole("button", { name: /open/i }).click();
  await widget.locator(".table", { hasText: /Order OS-.*placed/ }).waitFor({ timeout: 10000 });
  await page.screenshot({ path: `${shots}/05-after-reload.png` });

  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: `${shots}/06-mobile.png` });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  if (overflow) fail("horizontal overflow at 375 px");
  console.log(`flow finished in ${Date.now() - started} ms`);
} catch (error) {
  await page.screenshot({ path: `${shots}/error.png` }).catch(() => {});
  fail(error.message);
} finally {
  await browser.close();
}
