// At 375 x 667 (a small phone) the open panel fills the screen, nothing scrolls sideways,
// the message box and Send stay on screen, and product cards scroll inside their carousel.
// Usage: node mobile.mjs <storefront-url> <screenshot-dir>
import { addToCart, ask, openWidget, scenario, widgetOf } from "./harness.mjs";

const WIDTH = 375, HEIGHT = 667;

await scenario("mobile", async ({ page, base, check, shot, result }) => {
  const widget = widgetOf(page);
  await page.goto(base + "/");
  await shot(page, "01-storefront");
  await openWidget(page);
  await ask(page, "men's running shoes under $100 in size 10");
  await widget.locator(".card").first().waitFor();
  await shot(page, "02-products");

  const layout = () => page.evaluate(() => {
    const root = document.querySelector("#omnishop-widget").shadowRoot;
    const box = (sel) => { const r = root.querySelector(sel).getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
    const log = root.querySelector(".log");
    return { page_scroll_width: document.documentElement.scrollWidth, panel: box(".panel"), input: box("input"),
             send: box("form button"), log_overflow: log.scrollWidth - log.clientWidth,
             carousel_scrolls: [...root.querySelectorAll(".carousel")].some((c) => c.scrollWidth > c.clientWidth) };
  });
  const fits = (r) => r.left >= 0 && r.right <= WIDTH && r.top >= 0 && r.bottom <= HEIGHT;
  result.products = await layout();
  const p = result.products;
  check(p.page_scroll_width <= WIDTH, `the page scrolls sideways: ${p.page_scroll_width} px wide`);
  check(p.panel.left === 0 && p.panel.right === WIDTH && fits(p.panel), `the panel does not fill the screen: ${JSON.stringify(p.panel)}`);
  check(fits(p.input) && fits(p.send), "the message box or Send is off screen");
  check(p.log_overflow <= 0, `the conversation is ${p.log_overflow} px wider than the panel`);
  check(p.carousel_scrolls, "several cards at 375 px should scroll inside their carousel");

  await addToCart(page, widget.locator(".card").first());
  await shot(page, "03-cart");
  result.cart = await layout();
  check(result.cart.log_overflow <= 0 && result.cart.page_scroll_width <= WIDTH, "the cart makes the panel scroll sideways");
}, { viewport: { width: WIDTH, height: HEIGHT }, contextOptions: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } });
