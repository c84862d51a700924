// A network error on send leaves one "Not sent." bubble with Retry; retrying yields exactly
// one answer, one user bubble and one stored user message. Two failures are exercised: the
// request never reaches the server, and the server answered but the response was lost
// (then only the message id lets the server answer the retry without a second turn).
// Usage: node retry.mjs <storefront-url> <screenshot-dir>
import { openWidget, messageBox, scenario, storedSession, widgetOf, waitForBotMessages } from "./harness.mjs";

await scenario("retry", async ({ page, base, check, shot, result }) => {
  const widget = widgetOf(page);
  await page.goto(base + "/");
  await openWidget(page);
  result.cases = [];

  for (const [label, failure] of [["request lost", "before"], ["response lost", "after"]]) {
    const text = label === "request lost" ? "show me backpacks" : "show me watches";
    let failed = false, replies = null;
    await page.route("**/api/chat", async (route) => {
      if (failed) {  // the retry goes through; remember how many messages the server sent
        const response = await route.fetch();
        replies = (await response.json()).length;
        return route.fulfill({ response });
      }
      failed = true;
      if (failure === "after") await route.fetch();  // the server did the turn...
      return route.abort("connectionreset");        // ...but the browser never hears of it
    });
    const botsBefore = await widget.locator(".log .msg.bot").count();
    await messageBox(page).fill(text);
    await messageBox(page).press("Enter");
    const retry = widget.getByRole("button", { name: "Retry" });
    await retry.waitFor();
    check(await widget.locator(".msg.failed", { hasText: "Not sent." }).count() === 1, `${label}: no "Not sent." mark`);
    check(await widget.locator(".typing").isHidden(), `${label}: still "typing" after the failure`);
    await shot(page, `${failure}-01-not-sent`);

    await retry.click();
    await waitForBotMessages(page, botsBefore);
    await page.unroute("**/api/chat");
    const bots = await widget.locator(".log .msg.bot").count() - botsBefore;
    const bubbles = await widget.locator(".msg.user", { hasText: text }).count();
    const stored = (await storedSession(page)).transcript.filter((e) => e.who === "user" && e.payload === text);
    check(replies !== null && bots === replies, `${label}: ${bots} bot bubbles for one answer of ${replies} messages`);
    check(bubbles === 1, `${label}: ${bubbles} user bubbles for one message`);
    check(stored.length === 1 && !stored[0].failed, `${label}: stored user messages ${JSON.stringify(stored)}`);
    check(await widget.locator(".msg.failed").count() === 0, `${label}: still marked "Not sent." after the retry`);
    result.cases.push({ label, text, bot_messages: bots });
    await shot(page, `${failure}-02-retried`);
  }
  result.sender = (await storedSession(page)).sender;
});
