// A launch-to-order voice conversation with virtual-alexa 0.7.8, built from the skill's own
// interaction model, against a running Omnishop /alexa endpoint.
//
//   SKILL_URL=http://127.0.0.1:8000/alexa SKILL_ID=amzn1.ask.skill... [ACCESS_TOKEN=...] \
//     node launch_to_order.mjs [path/to/en-US.json]
//
// virtual-alexa sends no signature headers, so the endpoint must run with verification off
// (OMNISHOP_ALEXA_VERIFY=0). It does not finish dialog delegation by itself, so slot answers
// are given with intend(). Prints one JSON line with what was said and the placed order;
// exits non-zero at the first turn that is not what a shopper should hear.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import path from "node:path";
import va from "virtual-alexa";

const here = path.dirname(fileURLToPath(import.meta.url));
const model = process.argv[2] ?? path.join(here, "..", "..", "voice_skill", "interaction_model", "en-US.json");
const { SKILL_URL, SKILL_ID, ACCESS_TOKEN } = process.env;
if (!SKILL_URL || !SKILL_ID) {
  console.error("set SKILL_URL (the /alexa endpoint) and SKILL_ID (an application id it accepts)");
  process.exit(2);
}

const alexa = va.VirtualAlexa.Builder()
  .interactionModelFile(model)
  .skillURL(SKILL_URL)
  .applicationID(SKILL_ID)
  .locale("en-US")
  .create();
if (ACCESS_TOKEN) alexa.context().setAccessToken(ACCESS_TOKEN);

const turns = [];
async function turn(label, reply) {
  const response = await reply;
  turns.push({ label, said: response.prompt(), directives: (response.response.directives ?? []).map((d) => d.type) });
  if (!response.response.shouldEndSession) assert.ok(response.reprompt(), `${label}: an open turn needs a reprompt`);
  return response;
}

const welcome = await turn("launch", alexa.launch());
assert.equal(welcome.response.shouldEndSession, false);

const askedSize = await turn("search", alexa.intend("SearchProductIntent",
  { category: "running shoes", gender: "men", budget: "100" }));
assert.match(askedSize.prompt(), /What size\?/);
const found = await turn("any size", alexa.intend("RefineSearchIntent", { size: "any size" }));
assert.match(found.prompt(), /The first: .+, \$\d+\.\d\d/);
assert.match(found.prompt(), /The third: /);
assert.doesNotMatch(found.prompt(), /The fourth: /);

const asked = await turn("add", alexa.intend("AddToCartIntent", { ordinal: "first" }));
assert.ok(asked.directive("Dialog.ElicitSlot"), "the size is asked for with Dialog.ElicitSlot");
assert.equal(asked.directive("Dialog.ElicitSlot").slotToElicit, "size");
const size = Object.keys(asked.attr("offered")).sort()[0];

const added = await turn("size", alexa.intend("AddToCartIntent", { ordinal: "first", size }));
assert.match(added.prompt(), new RegExp(`size ${size.replace(".", "\\.")}\\b`));
const total = added.prompt().match(/total \$(\d+\.\d\d)/)[1];

const summary = await turn("checkout", alexa.intend("CheckoutIntent"));
assert.match(summary.prompt(), new RegExp(`Total \\$${total.replace(".", "\\.")}\\. Shall I place it\\?`));

const placed = await turn("yes", alexa.intend("AMAZON.YesIntent"));
const order = placed.prompt().match(/Order (\S+) is placed\. Total \$(\d+\.\d\d)/);
assert.ok(order, `no order placed: ${placed.prompt()}`);
assert.equal(order[2], total);

const goodbye = await turn("stop", alexa.intend("AMAZON.StopIntent"));
assert.equal(goodbye.response.shouldEndSession, true);

console.log(JSON.stringify({ user_id: alexa.context().user().id(), order: order[1], total, size, turns }));
