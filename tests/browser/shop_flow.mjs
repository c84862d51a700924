// A shopper in a real browser: open the storefront, open the widget, ask for a constrained
// product, add it to the cart, check out, and see the order confirmation.
// Usage: node shop_flow.mjs <storefront-url> <screenshot-dir>
import { addToCart, openWidget, messageBox, scenario, widgetOf, TURN_TIMEOUT_MS } from "./harness.mjs";

await scenario("shop", async ({ page, base, check, shot, result }) => {
  await page.goto(base + "/");
  await openWidget(page);
  await shot(page, "01-widget-open");
  const widget = widgetOf(page);

  await messageBox(page).fill("men's running shoes under $100 in size 10");
  const sentAt = Date.now();
  await messageBox(page).press("Enter");
  const cards = widget.locator(".card");
  await cards.first().waitFor({ timeout: TURN_TIMEOUT_MS });
  result.first_products_ms = Date.now() - sentAt;
  await shot(page, "02-product-carousel");

  const prices = await widget.locator(".card .price").evaluateAll((nodes) =>
    nodes.map((n) => parseFloat(n.firstChild.textContent.replace(/[^0-9.]/g, ""))));
  check(prices.length > 0 && prices.every((p) => p <= 100), `prices not all under $100: ${prices}`);
  const sizes = await widget.locator(".card .sizes").evaluateAll((nodes) =>
    nodes.map((n) => [...n.querySelectorAll(".size")].map((c) => c.textContent)));
  check(sizes.length === prices.length && sizes.every((s) => s.includes("10")),
        `a card is not in stock in size 10: ${JSON.stringify(sizes)}`);
  for (const part of [".card img", ".card .title", ".card .rating", ".card .price"]) {
    check(await widget.locator(part).count() === prices.length, `not every card shows ${part}`);
  }
  const firstTitle = (await cards.first().locator(".title").textContent()).trim();

  await addToCart(page, cards.first());
  const cart = widget.locator(".table", { hasText: "Your cart" }).last();
  check((await cart.textContent()).includes(firstTitle), `the cart does not list "${firstTitle}"`);
  await shot(page, "03-cart");

  await cart.getByRole("button", { name: "Checkout" }).click();
  const placeOrder = widget.getByRole("button", { name: "Yes, place order" }).last();
  await placeOrder.waitFor({ timeout: TURN_TIMEOUT_MS });
  await placeOrder.click();
  const order = widget.locator(".table", { hasText: "Order confirmed" });
  await order.waitFor({ timeout: TURN_TIMEOUT_MS });
  const orderText = await order.textContent();
  check(/Order OS-\S+ · placed/.test(orderText), `no order id and status on the confirmation: ${orderText}`);
  check(orderText.includes(firstTitle), `the order does not list "${firstTitle}"`);
  result.order_id = orderText.match(/Order (OS-\S+)/)?.[1];
  await shot(page, "04-order-confirmation");
});
