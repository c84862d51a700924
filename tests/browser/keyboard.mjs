// Keyboard only: Tab to the launcher, open it with Enter, type and send with Enter, reach a
// card's "Add to cart" with Tab and press Space, Escape closes and focus returns to the
// launcher, which Space opens again.
// Usage: node keyboard.mjs <storefront-url> <screenshot-dir>
import { quickReplies, scenario, widgetOf, waitForBotMessages } from "./harness.mjs";

/** The element focused inside the widget (through its shadow root), described. */
function focused(page) {
  return page.evaluate(() => {
    let node = document.activeElement;
    while (node && node.shadowRoot && node.shadowRoot.activeElement) node = node.shadowRoot.activeElement;
    if (!node || node === document.body) return null;
    return { tag: node.tagName.toLowerCase(), label: node.getAttribute("aria-label") || node.textContent.trim().slice(0, 60),
             inWidget: node.getRootNode() !== document };
  });
}

/** Press `key` until `wanted(focused)` holds; returns the number of presses. */
async function tabUntil(page, key, wanted, max = 80) {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (now && wanted(now)) return presses;
  }
  throw new Error(`${key} never reached the wanted control`);
}

await scenario("keyboard", async ({ page, base, check, shot, result }) => {
  const widget = widgetOf(page);
  await page.goto(base + "/");
  result.tabs_to_launcher = await tabUntil(page, "Tab", (f) => f.inWidget && /^Open /.test(f.label));
  await page.keyboard.press("Enter");
  check(await widget.locator(".panel").isVisible(), "Enter on the launcher did not open the panel");
  const inBox = await focused(page);
  check(inBox && inBox.tag === "input", `focus is not in the message box after opening: ${JSON.stringify(inBox)}`);

  const bots = await widget.locator(".log .msg.bot").count();
  await page.keyboard.type("women's hiking boots under $150 in size 8");
  await page.keyboard.press("Enter");
  await waitForBotMessages(page, bots);
  await widget.locator(".card").first().waitFor();
  const title = (await widget.locator(".card .title").first().textContent()).trim();
  result.shift_tabs_to_add_to_cart = await tabUntil(page, "Shift+Tab", (f) => f.label === "Add to cart: " + title);
  await shot(page, "01-add-to-cart-focused");
  const botsBeforeAdd = await widget.locator(".log .msg.bot").count();
  await page.keyboard.press("Space");
  await waitForBotMessages(page, botsBeforeAdd);
  if (!(await widget.locator(".log .msg.bot").last().locator(".table", { hasText: "Your cart" }).count())) {
    // The bot asked which size: Tab onwards from "Add to cart" reaches its quick replies.
    const size = (await quickReplies(page).first().textContent()).trim();
    result.tabs_to_quick_reply = await tabUntil(page, "Tab", (f) => f.label === size);
    const before = await widget.locator(".log .msg.bot").count();
    await page.keyboard.press("Enter");
    await waitForBotMessages(page, before);
  }
  await widget.locator(".table", { hasText: "Your cart" }).last().waitFor();
  check((await widget.locator(".table", { hasText: "Your cart" }).last().textContent()).includes(title),
        `the keyboard did not put "${title}" in the cart`);
  await shot(page, "02-cart-by-keyboard");

  await page.keyboard.press("Escape");
  check(await widget.locator(".panel").isHidden(), "Escape did not close the panel");
  const back = await focused(page);
  check(back && back.inWidget && /^Open /.test(back.label), `focus did not return to the launcher: ${JSON.stringify(back)}`);
  await page.keyboard.press("Space");
  check(await widget.locator(".panel").isVisible(), "Space on the launcher did not open the panel");
  const outline = await page.evaluate(() => {
    const root = document.querySelector("#omnishop-widget").shadowRoot;
    return getComputedStyle(root.activeElement).outlineStyle;
  });
  check(outline !== "none", "the focused control has no visible focus ring");
});
