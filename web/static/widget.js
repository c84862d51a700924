/* Omnishop chat widget: one script tag adds a launcher and a chat panel to any page.
 *
 *   <script src="https://HOST/widget.js" data-title="..." data-greeting="..." data-color="#2b59c3"
 *           data-position="right|left" data-api="https://HOST" defer></script>
 *
 * Everything lives in a shadow root, so the host page's CSS neither leaks in nor out.
 * Every string from the bot, the catalog or the shopper is put on the page with
 * textContent (never innerHTML), so markup in product data shows as text.
 */
(function () {
  "use strict";
  if (window.OmnishopWidget) return;

  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  var data = (script && script.dataset) || {};
  var apiBase = (data.api || new URL(script.src, location.href).origin).replace(/\/$/, "");
  var options = {
    title: data.title || "Shopping assistant",
    greeting: data.greeting || "Hi! What are you shopping for?",
    color: /^#[0-9a-fA-F]{3,8}$/.test(data.color || "") ? data.color : "#2b59c3",
    position: data.position === "left" ? "left" : "right",
  };
  var SENDER_KEY = "omnishop.sender";
  var MAX_TRANSCRIPT = 100;

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "id-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function store(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }

  var sender = load(SENDER_KEY) || newId();
  store(SENDER_KEY, sender);
  function transcriptKey() { return "omnishop.transcript." + sender; }
  function readTranscript() {
    try { return JSON.parse(load(transcriptKey()) || "[]"); } catch (e) { return []; }
  }
  var transcript = readTranscript();

  // -- DOM helpers: elements and text only --------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "class") node.className = attrs[k];
      else if (k.indexOf("on") === 0) node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function safeUrl(value) {
    try {
      var url = new URL(String(value || ""), apiBase + "/");
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) { return null; }
  }
  function money(amount, currency) {
    try { return new Intl.NumberFormat(undefined, { style: "currency", currency: currency || "USD" }).format(amount); }
    catch (e) { return String(amount); }
  }
  function formatted(text) {
    // **bold** and line breaks, built as elements.
    var frag = document.createDocumentFragment();
    String(text).split("\n").forEach(function (line, i) {
      if (i) frag.appendChild(el("br"));
      line.split(/(\*\*[^*]+\*\*)/).forEach(function (part) {
        if (/^\*\*[^*]+\*\*$/.test(part)) frag.appendChild(el("strong", { text: part.slice(2, -2) }));
        else if (part) frag.appendChild(document.createTextNode(part));
      });
    });
    return frag;
  }

  // -- layout ---------------------------------------------------------------------------
  var host = el("div", { id: "omnishop-widget" });
  var root = host.attachShadow({ mode: "open" });
  var side = options.position;
  var style = el("style", { text: [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}",
    ".launcher{position:fixed;bottom:20px;" + side + ":20px;width:60px;height:60px;border-radius:50%;border:0;background:" + options.color + ";color:#fff;display:flex;align-items:center;justify-content:center;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483000}",
    ".panel{position:fixed;bottom:92px;" + side + ":20px;width:380px;max-width:calc(100vw - 24px);height:600px;max-height:calc(100vh - 110px);background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;z-index:2147483000}",
    ".panel[hidden]{display:none}",
    ".head{display:flex;align-items:center;gap:8px;padding:12px 14px;background:" + options.color + ";color:#fff}",
    ".head h2{flex:1;margin:0;font-size:16px}",
    ".head button{background:transparent;border:1px solid rgba(255,255,255,.6);color:#fff;border-radius:6px;padding:4px 8px;cursor:pointer;font-size:12px}",
    ".log{flex:1;overflow-y:auto;padding:12px;background:#f6f7f9}",
    ".msg{margin:6px 0;display:flex;flex-direction:column}",
    ".bubble{max-width:85%;padding:8px 12px;border-radius:12px;font-size:14px;line-height:1.4;white-space:normal;word-wrap:break-word}",
    ".bot .bubble{background:#fff;border:1px solid #e1e4e8;align-self:flex-start}",
    ".user .bubble{background:" + options.color + ";color:#fff;align-self:flex-end}",
    ".time{font-size:10px;color:#8a919c;margin-top:2px}.user .time{align-self:flex-end}",
    ".failed .bubble{opacity:.6}.retry{align-self:flex-end;font-size:12px;margin-top:2px;cursor:pointer;color:#c0392b;background:none;border:0;text-decoration:underline}",
    ".buttons{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}",
    ".chip{border:1px solid " + options.color + ";color:" + options.color + ";background:#fff;border-radius:16px;padding:5px 10px;font-size:13px;cursor:pointer}",
    ".carousel{display:flex;gap:10px;overflow-x:auto;padding:6px 2px 8px;scroll-snap-type:x mandatory}",
    ".card{flex:0 0 210px;scroll-snap-align:start;background:#fff;border:1px solid #e1e4e8;border-radius:10px;padding:10px;display:flex;flex-direction:column;gap:4px}",
    ".card img{width:100%;height:120px;object-fit:contain;background:#eef1f5;border-radius:6px}",
    ".card .title{font-weight:600;font-size:14px;color:#1d2330;text-decoration:none}",
    ".brand,.why{font-size:12px;color:#5b6473}.price{font-weight:700;font-size:15px}.was{text-decoration:line-through;color:#8a919c;font-weight:400;font-size:12px;margin-left:6px}",
    ".sizes{display:flex;flex-wrap:wrap;gap:3px}.size{font-size:11px;border:1px solid #d0d5db;border-radius:4px;padding:1px 4px}",
    ".card .buttons .chip{font-size:12px;padding:4px 8px}",
    ".note{font-size:12px;color:#5b6473;margin:4px 0}",
    ".table{background:#fff;border:1px solid #e1e4e8;border-radius:10px;padding:10px;font-size:13px;margin-top:6px;max-width:85%}",
    ".row{display:flex;justify-content:space-between;gap:10px;padding:3px 0}.total{font-weight:700;border-top:1px solid #e1e4e8;margin-top:4px;padding-top:6px}",
    ".typing{font-size:13px;color:#5b6473;padding:4px 12px}",
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #e1e4e8;background:#fff}",
    "input{flex:1;border:1px solid #c9ced6;border-radius:8px;padding:9px 10px;font-size:14px}",
    "form button{background:" + options.color + ";color:#fff;border:0;border-radius:8px;padding:0 14px;font-size:14px;cursor:pointer}",
    "button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #f5a623;outline-offset:2px}",
    "@media (max-width:480px){.panel{left:0;right:0;bottom:0;top:0;width:100vw;max-width:100vw;height:100%;max-height:100%;border-radius:0}}",
  ].join("\n") });
  var launcher = el("button", { class: "launcher", "aria-label": "Open " + options.title, "aria-expanded": "false" });
  var icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("width", "28");
  icon.setAttribute("height", "28");
  icon.setAttribute("aria-hidden", "true");
  var bubble = document.createElementNS("http://www.w3.org/2000/svg", "path");
  bubble.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
  bubble.setAttribute("fill", "currentColor");
  icon.appendChild(bubble);
  launcher.appendChild(icon);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation" });
  var typing = el("div", { class: "typing", text: "Assistant is typing…", hidden: "" });
  var input = el("input", { type: "text", "aria-label": "Message", placeholder: "Ask for a product…", maxlength: "1000", autocomplete: "off" });
  var form = el("form", {}, [input, el("button", { type: "submit", text: "Send" })]);
  var closeButton = el("button", { type: "button", "aria-label": "Close chat", text: "✕" });
  var resetButton = el("button", { type: "button", text: "New conversation" });
  var panel = el("div", { class: "panel", role: "dialog", "aria-label": options.title, hidden: "" }, [
    el("div", { class: "head" }, [el("h2", { text: options.title }), resetButton, closeButton]), log, typing, form,
  ]);
  root.appendChild(style);
  root.appendChild(launcher);
  root.appendChild(panel);

  // -- rendering ----------------------------------------------------------------------
  function timeLabel(ts) { return new Date(ts).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); }

  function chip(title, payload) {
    return el("button", { type: "button", class: "chip", text: title, onclick: function () { send(payload, title); } });
  }

  function productCard(p) {
    var link = safeUrl(p.url);
    var image = safeUrl(p.image_url);
    var price = el("div", { class: "price", text: money(p.price, p.currency) });
    if (p.compare_at_price && p.compare_at_price > p.price) price.appendChild(el("span", { class: "was", text: "was " + money(p.compare_at_price, p.currency) }));
    var sizes = el("div", { class: "sizes", "aria-label": "Sizes in stock" });
    (p.sizes_in_stock || []).slice(0, 12).forEach(function (s) { sizes.appendChild(el("span", { class: "size", text: s })); });
    var stars = typeof p.rating === "number" ? "★ " + p.rating.toFixed(1) + (p.review_count ? " (" + p.review_count + ")" : "") : "";
    return el("div", { class: "card" }, [
      image ? el("img", { src: image, alt: String(p.title || ""), loading: "lazy" }) : null,
      link ? el("a", { class: "title", href: link, target: "_blank", rel: "noopener noreferrer", text: p.title })
           : el("span", { class: "title", text: p.title }),
      el("div", { class: "brand", text: [p.brand, p.color_name || p.color, stars].filter(Boolean).join(" · ") }),
      price, sizes,
      p.why ? el("div", { class: "why", text: p.why }) : null,
      el("div", { class: "buttons" }, [
        chip("Add to cart", '/add_to_cart{"product_id":' + JSON.stringify(p.id) + "}"),
        chip("Details", '/product_details{"product_id":' + JSON.stringify(p.id) + "}"),
        chip("More like this", '/refine_search{"similar_to":' + JSON.stringify(p.id) + "}"),
      ]),
    ]);
  }

  function lines(items, total, currency, heading) {
    var box = el("div", { class: "table" }, [heading ? el("div", { class: "row" }, [el("strong", { text: heading })]) : null]);
    (items || []).forEach(function (i) {
      var label = i.quantity + " × " + i.title + (i.size && i.size !== "ONE SIZE" ? " (" + i.size + ")" : "");
      box.appendChild(el("div", { class: "row" }, [el("span", { text: label }),
        el("span", { text: money(i.line_total || i.unit_price * i.quantity, currency) })]));
    });
    box.appendChild(el("div", { class: "row total" }, [el("span", { text: "Total" }), el("span", { text: money(total, currency) })]));
    return box;
  }

  function renderCustom(c) {
    if (!c || typeof c !== "object") return null;
    if (c.type === "product_list" || c.type === "alternatives") {
      var wrap = el("div");
      if (c.type === "alternatives") wrap.appendChild(el("div", { class: "note", text: "Close matches (not within: " + (c.relaxed || []).join(", ") + ")" }));
      var carousel = el("div", { class: "carousel", role: "list" });
      (c.products || []).forEach(function (p) { var card = productCard(p); card.setAttribute("role", "listitem"); carousel.appendChild(card); });
      wrap.appendChild(carousel);
      return wrap;
    }
    if (c.type === "cart") return lines(c.items, c.total, c.currency, "Your cart");
    if (c.type === "order") return lines(c.items, c.total, c.currency, "Order " + c.order_id + ": " + c.status);
    return null;
  }

  function renderEntry(entry) {
    var who = entry.who === "user" ? "user" : "bot";
    var node = el("div", { class: "msg " + who + (entry.failed ? " failed" : "") });
    var m = entry.message || {};
    if (m.text) node.appendChild(el("div", { class: "bubble" }, [formatted(m.text)]));
    var image = m.image && safeUrl(m.image);
    if (image) node.appendChild(el("img", { src: image, alt: "", style: "max-width:85%" }));
    var custom = renderCustom(m.custom);
    if (custom) node.appendChild(custom);
    if (m.buttons && m.buttons.length) {
      node.appendChild(el("div", { class: "buttons" }, m.buttons.map(function (b) { return chip(String(b.title), String(b.payload)); })));
    }
    node.appendChild(el("div", { class: "time", text: timeLabel(entry.ts) }));
    if (entry.failed) {
      node.appendChild(el("button", { type: "button", class: "retry", text: "Not sent. Retry", onclick: function () { retry(entry); } }));
    }
    entry.node = node;
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
  }

  function persist() {
    var kept = transcript.slice(-MAX_TRANSCRIPT).map(function (e) {
      return { who: e.who, message: e.message, ts: e.ts, id: e.id, payload: e.payload, failed: e.failed };
    });
    store(transcriptKey(), JSON.stringify(kept));
  }

  function add(entry) { transcript.push(entry); renderEntry(entry); persist(); }

  // -- talking to the assistant --------------------------------------------------------
  function post(entry) {
    typing.hidden = false;
    return fetch(apiBase + "/api/chat", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, message: entry.payload, metadata: { message_id: entry.id, channel: "web" } }),
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (messages) {
      entry.failed = false;
      if (entry.node) { entry.node.remove(); renderEntry(entry); }
      (Array.isArray(messages) ? messages : []).forEach(function (m) { add({ who: "bot", message: m, ts: Date.now() }); });
    }).catch(function () {
      entry.failed = true;
      if (entry.node) { entry.node.remove(); renderEntry(entry); }
    }).finally(function () { typing.hidden = true; persist(); });
  }

  function send(payload, shown) {
    var text = String(payload || "").trim();
    if (!text) return;
    var entry = { who: "user", message: { text: shown || text }, payload: text, id: newId(), ts: Date.now() };
    add(entry);
    post(entry);
  }

  function retry(entry) { post(entry); }  // same message id: the server answers it once

  function greet() { add({ who: "bot", message: { text: options.greeting }, ts: Date.now() }); }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    input.focus();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }
  function reset() {
    var old = sender;
    fetch(apiBase + "/api/chat", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: old, message: "/restart", metadata: { message_id: newId() } }) }).catch(function () {});
    try { localStorage.removeItem(transcriptKey()); } catch (e) { /* ignore */ }
    sender = newId();
    store(SENDER_KEY, sender);
    transcript = [];
    while (log.firstChild) log.removeChild(log.firstChild);
    greet();
  }

  launcher.addEventListener("click", function () { panel.hidden ? open() : close(); });
  closeButton.addEventListener("click", close);
  resetButton.addEventListener("click", reset);
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); var v = input.value; input.value = ""; send(v); });

  if (transcript.length) transcript.forEach(renderEntry); else greet();
  document.body.appendChild(host);
  if (location.hash === "#omnishop-open") open();
  window.OmnishopWidget = { open: open, close: close, reset: reset };
})();
