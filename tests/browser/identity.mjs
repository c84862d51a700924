// A signed-in shopper (the shop's `omnishop_customer` cookie on the widget's API origin) keeps
// one cart across conversations and devices: what one browser adds, another browser with a
// fresh widget conversation but the same login finds in its cart. A guest does not, and
// neither does a browser whose cookie names the same customer with a forged signature.
// Usage: node identity.mjs <storefront-url> <screenshot-dir> <login-cookie> <forged-cookie>
import { addToCart, ask, openWidget, scenario, storedSession, watchForScripts, widgetOf } from "./harness.mjs";

await scenario("identity", async (t) => {
  const { page, base, extra, check, shot, result, browser } = t;
  const login = { name: "omnishop_customer", value: extra[0], url: base };
  await t.context.addCookies([login]);
  await page.goto(base + "/");
  await openWidget(page);
  await ask(page, "show me sunglasses");
  const card = widgetOf(page).locator(".card").first();
  const title = (await card.locator(".title").textContent()).trim();
  await addToCart(page, card);
  result.first_sender = (await storedSession(page)).sender;

  const cartIn = async (cookies) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies(cookies);
    const other = await context.newPage();
    watchForScripts(t, other);
    await other.goto(base + "/shop/accessories");
    await openWidget(other);
    await ask(other, "show my cart");
    const text = await widgetOf(other).locator(".log .msg.bot").last().textContent();
    return { other, text, sender: (await storedSession(other)).sender };
  };
  const signedIn = await cartIn([login]);
  check(signedIn.sender !== result.first_sender, "the second browser reused the first one's conversation");
  check(signedIn.text.includes(title), `the same customer on another browser does not see "${title}": ${signedIn.text}`);
  await shot(signedIn.other, "01-same-customer-other-browser");
  const guest = await cartIn([]);
  check(!guest.text.includes(title), `a guest sees the customer's cart: ${guest.text}`);
  const forger = await cartIn([{ ...login, value: extra[1] }]);
  check(!forger.text.includes(title), `a forged login cookie sees the customer's cart: ${forger.text}`);
});
