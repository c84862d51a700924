// The conversation survives a reload and a navigation to another storefront page (same
// sender id, same messages, the dialogue goes on), and "New conversation" starts afresh.
// Usage: node session.mjs <storefront-url> <screenshot-dir>
import { addToCart, ask, openWidget, scenario, storedSession, transcriptText, widgetOf } from "./harness.mjs";

await scenario("session", async ({ page, base, check, shot, result }) => {
  const widget = widgetOf(page);
  await page.goto(base + "/");
  await openWidget(page);
  await ask(page, "show me hoodies in any size");
  await widget.locator(".card").first().waitFor();
  const before = await transcriptText(page);
  const first = await storedSession(page);
  result.sender = first.sender;
  check(/^[\w-]{8,64}$/.test(first.sender || ""), `no sender id stored: ${first.sender}`);

  await page.reload();
  check(await widget.locator(".panel").isHidden(), "the panel opened by itself after reload");
  await openWidget(page);
  check(JSON.stringify(await transcriptText(page)) === JSON.stringify(before),
        "the conversation after reload differs from before it");
  check((await storedSession(page)).sender === first.sender, "the sender id changed on reload");
  await shot(page, "01-after-reload");

  await page.getByRole("navigation", { name: "Departments" }).getByRole("link", { name: "Clothing" }).click();
  await page.waitForURL(/\/shop\/clothing$/);
  await openWidget(page);
  check(JSON.stringify(await transcriptText(page)) === JSON.stringify(before),
        "the conversation on another page differs from the first page's");
  check((await storedSession(page)).sender === first.sender, "the sender id changed on navigation");
  // The dialogue itself goes on: a card shown on the first page still adds to the same cart.
  const card = widget.locator(".card").first();
  const title = (await card.locator(".title").textContent()).trim();
  await addToCart(page, card);
  const cart = await widget.locator(".table", { hasText: "Your cart" }).last().textContent();
  check(cart.includes(title), `the restored card did not add "${title}" to the cart: ${cart}`);
  await shot(page, "02-other-page-cart");

  await widget.getByRole("button", { name: "New conversation" }).click();
  const fresh = await storedSession(page);
  result.new_sender = fresh.sender;
  check(fresh.sender && fresh.sender !== first.sender, "reset kept the old sender id");
  const afterReset = await transcriptText(page);
  check(afterReset.length === 1 && afterReset[0][0] === "bot", `reset left messages: ${JSON.stringify(afterReset)}`);
  check(await page.evaluate((old) => localStorage.getItem("omnishop.transcript." + old), first.sender) === null,
        "the old transcript is still stored after reset");
  await ask(page, "show my cart");
  const freshCart = await widget.locator(".log .msg.bot").last().textContent();
  check(!freshCart.includes(title), `the new conversation still has the old cart: ${freshCart}`);
  await page.reload();
  await openWidget(page);
  check((await storedSession(page)).sender === fresh.sender, "the new sender id did not survive a reload");
  await shot(page, "03-after-reset");
});
