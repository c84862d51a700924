// What every browser scenario shares: Debian's Chromium (never a downloaded browser), the
// storefront URL and screenshot folder from the command line, failure bookkeeping, and the
// steps a shopper repeats (open the widget, send a message, wait for the answer).
//
// A scenario module calls `scenario(name, async (t) => { ... })`; it exits non-zero when a
// check failed or a step threw, and prints one `RESULT {json}` line for the pytest wrapper
// (tests/e2e/test_browser.py) to make server-side assertions with.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

export const TURN_TIMEOUT_MS = 60000;

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--no-first-run"],
  });
}

/** Run `body(t)` against the storefront given as argv[2], screenshots into argv[3]. */
export async function scenario(name, body, { viewport = { width: 1280, height: 900 }, contextOptions = {} } = {}) {
  const [base, shots, ...extra] = process.argv.slice(2);
  if (!base || !shots) {
    console.error(`usage: node ${name}.mjs <storefront-url> <screenshot-dir> [scenario arguments]`);
    process.exit(2);
  }
  mkdirSync(shots, { recursive: true });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport, ...contextOptions });
  const failures = [];
  const result = {};
  const t = {
    base, extra, context, result, browser,
    page: await context.newPage(),
    check(ok, message) { if (!ok) { failures.push(message); console.error("FAIL: " + message); } },
    shot(page, file) { return page.screenshot({ path: `${shots}/${name}-${file}.png` }); },
  };
  watchForScripts(t, t.page);
  try {
    await body(t);
  } catch (error) {
    failures.push(error.message);
    console.error("FAIL: " + error.stack);
    await t.shot(t.page, "error").catch(() => {});
  } finally {
    await browser.close();
  }
  console.log("RESULT " + JSON.stringify({ ...result, failures }));
  process.exitCode = failures.length ? 1 : 0;
}

/** Any alert/confirm/prompt means markup from data or input ran as script. */
export function watchForScripts(t, page) {
  page.on("dialog", async (dialog) => { t.check(false, `a script ran: ${dialog.type()} "${dialog.message()}"`); await dialog.dismiss(); });
  page.on("pageerror", (error) => t.check(false, `uncaught error in the page: ${error.message}`));
}

export const widgetOf = (page) => page.locator("#omnishop-widget");
export const messageBox = (page) => widgetOf(page).getByRole("textbox", { name: "Message" });

export async function openWidget(page) {
  await widgetOf(page).getByRole("button", { name: /^Open / }).click();
  await messageBox(page).waitFor({ state: "visible" });
}

/** Everything the conversation shows, in order, as [who, text] pairs. */
export function transcriptText(page) {
  return widgetOf(page).locator(".log .msg").evaluateAll((nodes) => nodes.map((n) => [
    n.classList.contains("user") ? "user" : "bot",
    [...n.childNodes].filter((c) => c.tagName !== "TIME").map((c) => c.textContent).join(" ").trim(),
  ]));
}

/** Send `text` as the shopper (typed, then Enter) and wait until the bot has answered it. */
export async function ask(page, text) {
  const bots = widgetOf(page).locator(".log .msg.bot");
  const before = await bots.count();
  await messageBox(page).fill(text);
  await messageBox(page).press("Enter");
  await waitForBotMessages(page, before);
}

/** Wait for a bot message beyond the first `before` ones and for the typing dots to go. */
export async function waitForBotMessages(page, before) {
  await widgetOf(page).locator(".log .msg.bot").nth(before).waitFor({ timeout: TURN_TIMEOUT_MS });
  await widgetOf(page).locator(".typing").waitFor({ state: "hidden", timeout: TURN_TIMEOUT_MS });
}

/** The quick-reply buttons of the latest bot message that has any (not the cards' buttons). */
export const quickReplies = (page) => widgetOf(page).locator(".log .msg.bot:has(> .buttons)").last().locator(".buttons > .chip");

/** Click "Add to cart" on a card; when the bot asks for a size, pick the first one offered. */
export async function addToCart(page, card) {
  const widget = widgetOf(page);
  const carts = widget.locator(".table", { hasText: "Your cart" });
  const cartsBefore = await carts.count();
  const bots = await widget.locator(".log .msg.bot").count();
  await card.getByRole("button", { name: /^Add to cart/ }).click();
  await waitForBotMessages(page, bots);
  if ((await carts.count()) === cartsBefore) {
    const sizeChoice = quickReplies(page).first();
    const after = await widget.locator(".log .msg.bot").count();
    await sizeChoice.click();
    await waitForBotMessages(page, after);
  }
  await carts.nth(cartsBefore).waitFor({ timeout: TURN_TIMEOUT_MS });
}

/** The widget's conversation id and stored transcript, as the page's localStorage holds them. */
export function storedSession(page) {
  return page.evaluate(() => {
    const sender = localStorage.getItem("omnishop.sender");
    return { sender, transcript: JSON.parse(localStorage.getItem("omnishop.transcript." + sender) || "[]") };
  });
}
