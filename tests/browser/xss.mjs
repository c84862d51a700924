// Markup in catalog data or typed by a shopper shows as text and never runs.
// Usage: node xss.mjs <storefront-url> <screenshot-dir> '<{"query", "title", "brand", "description"}>'
// The product named in the JSON must already be in the index the services read.
import { ask, openWidget, scenario, widgetOf, TURN_TIMEOUT_MS } from "./harness.mjs";

/** Elements or attributes that only exist if some payload was parsed as HTML. */
function injectedNodes(page) {
  return page.evaluate(() => {
    const roots = [document, document.querySelector("#omnishop-widget").shadowRoot];
    return roots.flatMap((root) => [...root.querySelectorAll("script, iframe, svg image, img[src='x'], img:not([src]), [onerror], [onload], [onclick], [onmouseover]")]
      .filter((n) => !(n.tagName === "SCRIPT" && n.src.endsWith("/widget.js")))
      .map((n) => n.outerHTML.slice(0, 120)));
  });
}

await scenario("xss", async ({ page, base, extra, check, shot, result }) => {
  const product = JSON.parse(extra[0]);
  await page.goto(base + "/");
  await openWidget(page);
  const widget = widgetOf(page);

  await ask(page, product.query);
  await widget.locator(".card").first().waitFor({ timeout: TURN_TIMEOUT_MS });
  const card = widget.locator(".card", { hasText: product.title });
  check(await card.count() === 1, "the product with markup in its title is not in the carousel");
  check((await card.locator(".title").textContent()) === product.title, "the title is not shown literally");
  check((await card.locator(".brand").textContent()).includes(product.brand), "the brand is not shown literally");
  check(await card.getByRole("button", { name: "Add to cart: " + product.title }).count() === 1,
        "the Add to cart button is not named with the literal title");
  await shot(page, "01-markup-in-catalog");

  const bots = await widget.locator(".log .msg.bot").count();
  await card.getByRole("button", { name: /^Details/ }).click();
  await widget.locator(".log .msg.bot").nth(bots).waitFor({ timeout: TURN_TIMEOUT_MS });
  result.details = await widget.locator(".log .msg.bot").nth(bots).textContent();
  check(result.details.includes(product.title), `the details do not show the literal title: ${result.details}`);

  const typed = '<img src=x onerror=alert("typed")><script>alert("typed")</script>';
  await ask(page, typed);
  check(await widget.locator(".user .bubble", { hasText: typed }).count() === 1, "the shopper's markup is not shown as text");
  await page.waitForTimeout(500);  // give an injected onerror a chance to fire
  result.injected = await injectedNodes(page);
  check(result.injected.length === 0, `markup became elements: ${JSON.stringify(result.injected)}`);
  await shot(page, "02-markup-typed");

  await page.reload();  // the stored transcript is data, re-rendered as text
  await openWidget(page);
  await widget.locator(".card").first().waitFor();
  await page.waitForTimeout(500);
  const afterReload = await injectedNodes(page);
  check(afterReload.length === 0, `markup became elements after reload: ${JSON.stringify(afterReload)}`);
}, { contextOptions: { bypassCSP: true } });  // many shops have no CSP: the widget alone must keep markup inert
