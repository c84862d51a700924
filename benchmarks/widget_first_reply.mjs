// Time to first reply in the browser: from the shopper's click on Send to the first bot
// bubble on screen (the frame after it is added), for N searches, each in a new conversation.
// Also splits each turn into the /api/chat round trip and the widget's own part (request
// start and rendering). Prints one `RESULT {json}` line.
// Usage: node widget_first_reply.mjs <storefront-url> <turns>
import { launchChromium, openWidget, messageBox, widgetOf } from "../tests/browser/harness.mjs";

const QUERIES = [
  "men's running shoes under $100 in size 10", "a waterproof jacket in blue", "women's hiking boots under $150",
  "black hoodies in size M", "show me backpacks", "watches under 300 dollars", "jeans 32x32",
  "trail running shoes for women", "sandals in size 8", "sunglasses rated 4 stars or more",
];
const [base, turns = "20"] = process.argv.slice(2);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(base + "/");
await openWidget(page);
const samples = [];
try {
  for (let i = 0; i < Number(turns); i++) {
    await page.evaluate(() => window.OmnishopWidget.reset());
    await messageBox(page).fill(QUERIES[i % QUERIES.length]);
    // Arm the watch in the page, then click: both timestamps come from the page's clock.
    await page.evaluate(() => {
      const root = document.querySelector("#omnishop-widget").shadowRoot;
      const log = root.querySelector(".log");
      const bots = log.querySelectorAll(".msg.bot").length;
      performance.clearResourceTimings();
      root.querySelector("form button").addEventListener("click", () => { window.sentAt = performance.now(); }, { once: true, capture: true });
      window.firstReply = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (log.querySelectorAll(".msg.bot").length > bots) {
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now()));
          }
        });
        observer.observe(log, { childList: true });
      });
    });
    await widgetOf(page).getByRole("button", { name: "Send" }).click();
    samples.push(await page.evaluate(async () => {
      const shownAt = await window.firstReply;
      const api = performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/api/chat")).pop();
      return { first_reply_ms: shownAt - window.sentAt, api_chat_ms: api ? api.responseEnd - api.startTime : null };
    }));
    await widgetOf(page).locator(".typing").waitFor({ state: "hidden" });
  }
} finally {
  await browser.close();
}
console.log("RESULT " + JSON.stringify({ samples, queries: QUERIES }));
