/* Omnishop chat widget: one script tag adds a launcher and a chat panel to any page.
 *
 *   <script src="https://HOST/widget.js" data-title="..." data-greeting="..." data-color="#2b59c3"
 *           data-position="right|left" data-lang="en" data-api="https://HOST" defer></script>
 *
 * Everything lives in a shadow root, so the host page's CSS neither leaks in nor out.
 * Every string from the bot, the catalog or the shopper is put on the page with
 * textContent or attribute setters (never innerHTML), so markup in product data shows as
 * text. The only network traffic is POST {api}/api/chat (and the product images it names).
 */
(function () {
  "use strict";
  if (window.OmnishopWidget) return;

  var script = document.currentScript;
  if (!script) { var all = document.querySelectorAll('script[src*="widget.js"]'); script = all[all.length - 1]; }
  var data = (script && script.dataset) || {};
  var scriptOrigin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  function httpUrl(value, base) {
    try {
      var url = new URL(String(value), base);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) { return null; }
  }
  var apiBase = (httpUrl(data.api || scriptOrigin, location.href) || scriptOrigin).replace(/\/+$/, "");
  var lang = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(data.lang || "") ? data.lang : undefined;
  var options = {
    title: (data.title || "Shopping assistant").slice(0, 80),
    greeting: data.greeting || "Hi! What are you shopping for?",
    color: /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(data.color || "") ? data.color : "#2b59c3",
    position: data.position === "left" ? "left" : "right",
  };
  var SENDER_KEY = "omnishop.sender";
  var MAX_TRANSCRIPT = 100;

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    if (window.crypto && crypto.getRandomValues) {
      var b = crypto.getRandomValues(new Uint8Array(16));
      b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
      var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
      return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
    }
    return "id-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function store(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode, quota */ } }
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function forget(key) { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  var sender = load(SENDER_KEY);
  if (!sender || !/^[\w-]{8,64}$/.test(sender)) { sender = newId(); store(SENDER_KEY, sender); }
  function transcriptKey() { return "omnishop.transcript." + sender; }
  function readTranscript() {
    try {
      var list = JSON.parse(load(transcriptKey()) || "[]");
      return Array.isArray(list) ? list.filter(function (e) { return e && typeof e === "object"; }).slice(-MAX_TRANSCRIPT) : [];
    } catch (e) { return []; }
  }
  var transcript = readTranscript();

  // -- DOM helpers: elements and text only ----------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined) return;
      if (k === "text") node.textContent = String(v);
      else if (k === "class") node.className = v;
      else if (k.indexOf("on") === 0) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, String(v));
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function svgIcon(d) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
    svg.setAttribute("viewBox", "0 0 24 24"); svg.setAttribute("width", "28"); svg.setAttribute("height", "28");
    svg.setAttribute("aria-hidden", "true"); svg.setAttribute("focusable", "false");
    path.setAttribute("d", d); path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }
  function num(value) { var n = Number(value); return isFinite(n) ? n : null; }
  // Amounts as the shop writes them: the payload's `*_text` (the server's one formatter, in the
  // shop's locale), else the browser's Intl formatting of the number.
  function shown(text, amount, currency) { return typeof text === "string" && text ? text : money(amount, currency); }
  function money(amount, currency) {
    var n = num(amount);
    if (n === null) return "";
    try { return new Intl.NumberFormat(lang, { style: "currency", currency: currency || "USD" }).format(n); }
    catch (e) { return n.toFixed(2) + " " + String(currency || ""); }
  }
  // A plain-text run with http(s) URLs turned into links.
  function linkify(parent, text) {
    var re = /\bhttps?:\/\/[^\s<>"']+/gi, last = 0, m;
    while ((m = re.exec(text))) {
      var raw = m[0].replace(/[.,;:!?)\]}]+$/, ""), href = httpUrl(raw);
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      parent.appendChild(href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer nofollow", text: raw })
                              : document.createTextNode(raw));
      last = re.lastIndex = m.index + raw.length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }
  // **bold**, line breaks and links, built as elements.
  function formatted(text) {
    var frag = document.createDocumentFragment();
    String(text).split(/\r?\n/).forEach(function (line, i) {
      if (i) frag.appendChild(el("br"));
      line.split(/(\*\*[^*]+\*\*)/).forEach(function (part) {
        if (/^\*\*[^*]+\*\*$/.test(part)) { var b = el("strong"); linkify(b, part.slice(2, -2)); frag.appendChild(b); }
        else if (part) linkify(frag, part);
      });
    });
    return frag;
  }

  // -- layout ---------------------------------------------------------------------------
  var C = options.color, side = options.position;
  var css = [
    ":host{all:initial!important;display:block!important}",
    "*{box-sizing:border-box}",
    ".launcher,.panel{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1d2330;text-align:left;letter-spacing:normal;text-transform:none;visibility:visible;z-index:2147483000}",
    "button,input{font:inherit;margin:0}",
    ".launcher{position:fixed;bottom:20px;" + side + ":20px;width:60px;height:60px;border-radius:50%;border:0;padding:0;background:" + C + ";color:#fff;display:flex;align-items:center;justify-content:center;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}",
    ".panel{position:fixed;bottom:92px;" + side + ":20px;width:380px;max-width:calc(100vw - 24px);height:600px;max-height:calc(100vh - 112px);background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}",
    "[hidden]{display:none!important}",
    ".head{display:flex;align-items:center;gap:8px;padding:12px 14px;background:" + C + ";color:#fff}",
    ".head h2{flex:1;margin:0;font-size:16px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}",
    ".head button{background:transparent;border:1px solid rgba(255,255,255,.7);color:#fff;border-radius:6px;padding:4px 8px;cursor:pointer;font-size:12px;white-space:nowrap}",
    ".log{flex:1;overflow-y:auto;overflow-x:hidden;padding:12px;background:#f6f7f9}",
    ".msg{margin:8px 0;display:flex;flex-direction:column;min-width:0}",
    ".bubble{max-width:85%;padding:8px 12px;border-radius:12px;overflow-wrap:anywhere}",
    ".bubble a{color:inherit}",
    ".bot .bubble{background:#fff;border:1px solid #e1e4e8;align-self:flex-start;border-bottom-left-radius:4px}",
    ".user .bubble{background:" + C + ";color:#fff;align-self:flex-end;border-bottom-right-radius:4px}",
    ".time{font-size:11px;color:#555d6b;margin-top:2px}.user .time,.fail{align-self:flex-end}",
    ".failed .bubble{opacity:.55}.fail{font-size:12px;color:#b42318;margin-top:2px;display:flex;gap:6px;align-items:center}",
    ".retry{font-size:12px;cursor:pointer;color:#b42318;background:#fff;border:1px solid #b42318;border-radius:12px;padding:1px 8px}",
    ".buttons{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}",
    ".chip{border:1px solid " + C + ";color:" + C + ";background:#fff;border-radius:16px;padding:5px 10px;font-size:13px;cursor:pointer}",
    ".chip:hover{background:" + C + ";color:#fff}",
    ".msgimg{max-width:85%;border-radius:10px;margin-top:4px}",
    ".note{font-size:12px;color:#5b6473;margin:2px 0 4px}",
    ".carousel{display:flex;gap:10px;overflow-x:auto;padding:4px 2px 10px;scroll-snap-type:x mandatory;max-width:100%}",
    ".card{flex:0 0 200px;scroll-snap-align:start;background:#fff;border:1px solid #e1e4e8;border-radius:10px;padding:10px;display:flex;flex-direction:column;gap:3px;min-width:0}",
    ".card img{width:100%;height:120px;object-fit:contain;background:#eef1f5;border-radius:6px}",
    ".card .title{font-weight:600;color:#1d2330;text-decoration:none;overflow-wrap:anywhere}a.title:hover{text-decoration:underline}",
    ".brand,.why{font-size:12px;color:#5b6473}.why{font-style:italic}",
    ".rating{font-size:12px;color:#5b6473}.stars{color:#e0a100;letter-spacing:1px}",
    ".price{font-weight:700;font-size:15px}.was{color:#555d6b;font-weight:400;font-size:12px;margin-left:6px}",
    ".sizes{display:flex;flex-wrap:wrap;gap:3px}.size{font-size:11px;border:1px solid #d0d5db;border-radius:4px;padding:0 4px}",
    ".card .buttons{margin-top:auto;padding-top:4px}.card .chip{font-size:12px;padding:3px 8px}",
    ".table{background:#fff;border:1px solid #e1e4e8;border-radius:10px;padding:10px;font-size:13px;margin-top:6px;max-width:92%;align-self:flex-start;min-width:220px}",
    ".row{display:flex;justify-content:space-between;gap:10px;padding:3px 0}.row span:first-child{overflow-wrap:anywhere}.row span:last-child{white-space:nowrap}",
    ".total{font-weight:700;border-top:1px solid #e1e4e8;margin-top:4px;padding-top:6px}",
    ".ok{color:#1e7b34;font-weight:700;font-size:14px}.sub{color:#5b6473;font-size:12px}",
    ".table .chip{margin-top:8px;background:" + C + ";color:#fff}",
    ".typing{padding:0 12px 8px;background:#f6f7f9}.pill{display:inline-flex;gap:4px;padding:10px 12px;background:#fff;border:1px solid #e1e4e8;border-radius:12px}",
    ".typing i{width:7px;height:7px;border-radius:50%;background:#9aa1ac;animation:b 1s infinite}",
    ".typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}",
    "@keyframes b{0%,80%,100%{opacity:.3}40%{opacity:1}}",
    "@media (prefers-reduced-motion:reduce){.typing i{animation:none}}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #e1e4e8;background:#fff}",
    "input{flex:1;min-width:0;border:1px solid #c9ced6;border-radius:8px;padding:9px 10px;font-size:16px;color:#1d2330;background:#fff}",
    "form button{background:" + C + ";color:#fff;border:0;border-radius:8px;padding:0 14px;cursor:pointer}",
    "button:focus-visible,input:focus-visible,a:focus-visible{outline:2px solid #f5a623;outline-offset:2px}",
    "@media (max-width:480px){.head{padding:10px 10px 10px 12px;gap:6px}.head h2{font-size:15px}.head button{padding:4px 6px}.panel{top:0;left:0;right:0;bottom:0;width:100%;max-width:100%;height:100%;max-height:100%;border-radius:0}}",
  ].join("\n");

  var host = el("omnishop-widget", { id: "omnishop-widget" });
  var root = host.attachShadow({ mode: "open" });
  // Constructed style sheets also work under a host page CSP without 'unsafe-inline'.
  try { var sheet = new CSSStyleSheet(); sheet.replaceSync(css); root.adoptedStyleSheets = [sheet]; }
  catch (e) { root.appendChild(el("style", { text: css })); }

  var CHAT_ICON = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";
  var CLOSE_ICON = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z";
  var launcher = el("button", { type: "button", class: "launcher", "aria-label": "Open " + options.title, "aria-expanded": "false" }, [svgIcon(CHAT_ICON)]);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
  var typing = el("div", { class: "typing", hidden: "" }, [el("span", { class: "pill" }, [el("i"), el("i"), el("i")]), el("span", { class: "sr", text: "Assistant is typing" })]);
  var input = el("input", { type: "text", "aria-label": "Message", placeholder: "Ask for a product…", maxlength: "1000", autocomplete: "off", enterkeyhint: "send" });
  var form = el("form", {}, [input, el("button", { type: "submit", text: "Send" })]);
  var closeButton = el("button", { type: "button", "aria-label": "Close chat", text: "✕" });
  var resetButton = el("button", { type: "button", text: "New conversation" });
  var panelId = "omnishop-panel";
  var panel = el("div", { class: "panel", id: panelId, role: "dialog", "aria-label": options.title, lang: lang, hidden: "" }, [
    el("div", { class: "head" }, [el("h2", { text: options.title }), resetButton, closeButton]), log, typing, form,
  ]);
  launcher.setAttribute("aria-controls", panelId);
  root.appendChild(launcher);
  root.appendChild(panel);

  // -- rendering --------------------------------------------------------------------------
  function timeLabel(ts) {
    try { return new Date(ts).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" }); } catch (e) { return ""; }
  }
  // Rasa's `/intent{"entity": value}`, as contract/payloads.py builds it: entities always JSON-encoded.
  function intentMessage(intent, entities) {
    return "/" + intent + JSON.stringify(entities);
  }

  function chip(title, payload, label) {
    return el("button", { type: "button", class: "chip", text: title, "aria-label": label, onclick: function () { send(payload, title); } });
  }
  function stars(p) {
    var r = num(p.rating);
    if (r === null) return null;
    r = Math.max(0, Math.min(5, r));
    var full = Math.round(r), count = num(p.review_count);
    return el("div", { class: "rating", role: "img", "aria-label": "Rated " + r.toFixed(1) + " out of 5" + (count ? ", " + count + " reviews" : "") }, [
      el("span", { class: "stars", "aria-hidden": "true", text: "★★★★★".slice(0, full) + "☆☆☆☆☆".slice(0, 5 - full) }),
      el("span", { "aria-hidden": "true", text: " " + r.toFixed(1) + (count ? " (" + count + ")" : "") }),
    ]);
  }

  function productCard(p) {
    var title = String(p.title || "Product"), id = String(p.id);
    var link = p.url ? httpUrl(p.url, apiBase + "/") : null;
    var image = p.image_url ? httpUrl(p.image_url, apiBase + "/") : null;
    var price = el("div", { class: "price", text: shown(p.price_text, p.price, p.currency) });
    var was = num(p.compare_at_price);
    if (was !== null && num(p.price) !== null && was > num(p.price)) price.appendChild(el("s", { class: "was", text: "was " + shown(p.compare_at_price_text, was, p.currency) }));
    var sizes = null;
    if (Array.isArray(p.sizes_in_stock) && p.sizes_in_stock.length) {
      sizes = el("div", { class: "sizes", role: "group", "aria-label": "Sizes in stock" });
      p.sizes_in_stock.slice(0, 16).forEach(function (s) { sizes.appendChild(el("span", { class: "size", text: s })); });
    }
    return el("div", { class: "card", role: "listitem" }, [
      image ? el("img", { src: image, alt: title, loading: "lazy", width: "180", height: "120", referrerpolicy: "no-referrer" }) : null,
      link ? el("a", { class: "title", href: link, target: "_blank", rel: "noopener noreferrer", text: title })
           : el("span", { class: "title", text: title }),
      el("div", { class: "brand", text: [p.brand, p.color].filter(Boolean).join(" · ") }),
      stars(p), price, sizes,
      p.why ? el("div", { class: "why", text: p.why }) : null,
      el("div", { class: "buttons" }, [
        chip("Add to cart", intentMessage("add_to_cart", { product_id: id }), "Add to cart: " + title),
        chip("Details", intentMessage("product_details", { product_id: id }), "Details: " + title),
        chip("More like this", intentMessage("refine_search", { similar_to: id }), "More like this: " + title),
      ]),
    ]);
  }

  function itemRows(box, items, total, currency, totalText) {
    (Array.isArray(items) ? items : []).forEach(function (i) {
      var extra = [i.size && i.size !== "ONE SIZE" ? i.size : "", i.color || ""].filter(Boolean).join(", ");
      var qty = num(i.quantity) || 1, line = num(i.line_total);
      if (line === null && num(i.unit_price) !== null) line = num(i.unit_price) * qty;
      box.appendChild(el("div", { class: "row" }, [el("span", { text: qty + " × " + String(i.title || "") + (extra ? " (" + extra + ")" : "") }),
        el("span", { text: shown(i.line_total_text, line, currency) })]));
    });
    box.appendChild(el("div", { class: "row total" }, [el("span", { text: "Total" }), el("span", { text: shown(totalText, total, currency) })]));
  }

  function renderCustom(c) {
    if (!c || typeof c !== "object") return null;
    var box;
    if (c.type === "product_list" || c.type === "alternatives") {
      var products = Array.isArray(c.products) ? c.products.slice(0, 20) : [];
      if (!products.length) return null;
      var wrap = el("div", { class: "products" });
      if (c.type === "alternatives") {
        var relaxed = Array.isArray(c.relaxed) ? c.relaxed.join(", ") : c.relaxed ? String(c.relaxed) : "";
        wrap.appendChild(el("div", { class: "note", text: "Close matches" + (relaxed ? " (not within: " + relaxed + ")" : "") }));
      }
      var carousel = el("div", { class: "carousel", role: "list", "aria-label": "Products" });
      products.forEach(function (p) { if (p && typeof p === "object") carousel.appendChild(productCard(p)); });
      wrap.appendChild(carousel);
      return wrap;
    }
    if (c.type === "cart") {
      box = el("div", { class: "table", role: "group", "aria-label": "Your cart" }, [el("div", { class: "row" }, [el("strong", { text: "Your cart" })])]);
      if (Array.isArray(c.items) && c.items.length) {
        itemRows(box, c.items, c.total, c.currency, c.total_text);
        box.appendChild(chip("Checkout", "/checkout"));
      } else box.appendChild(el("div", { class: "sub", text: "Your cart is empty." }));
      return box;
    }
    if (c.type === "order") {
      box = el("div", { class: "table", role: "group", "aria-label": "Order confirmation" }, [
        el("div", { class: "ok", text: "✓ Order confirmed" }),
        el("div", { class: "sub", text: "Order " + String(c.order_id || "") + " · " + String(c.status || "placed") }),
      ]);
      itemRows(box, c.items, c.total, c.currency, c.total_text);
      return box;
    }
    return null;  // unknown payload types are ignored
  }

  function renderEntry(entry) {
    var who = entry.who === "user" ? "user" : "bot";
    var m = entry.message && typeof entry.message === "object" ? entry.message : {};
    var node = el("div", { class: "msg " + who + (entry.failed ? " failed" : "") });
    if (typeof m.text === "string" && m.text) node.appendChild(el("div", { class: "bubble" }, [formatted(m.text)]));
    var image = typeof m.image === "string" && httpUrl(m.image, apiBase + "/");
    if (image) node.appendChild(el("img", { class: "msgimg", src: image, alt: "", loading: "lazy" }));
    var custom = renderCustom(m.custom);
    if (custom) node.appendChild(custom);
    if (Array.isArray(m.buttons) && m.buttons.length) {
      node.appendChild(el("div", { class: "buttons" }, m.buttons.map(function (b) {
        return b && chip(String(b.title || b.payload || ""), String(b.payload || b.title || ""));
      })));
    }
    if (!node.firstChild) return;  // nothing we know how to show
    var ts = num(entry.ts) || Date.now();
    node.appendChild(el("time", { class: "time", datetime: new Date(ts).toISOString(), text: timeLabel(ts) }));
    if (entry.failed) {
      node.appendChild(el("div", { class: "fail" }, [el("span", { text: "Not sent." }),
        el("button", { type: "button", class: "retry", text: "Retry", onclick: function () { retry(entry); } })]));
    }
    if (entry.node && entry.node.parentNode === log) {
      var hadFocus = entry.node.contains(root.activeElement);
      log.replaceChild(node, entry.node);
      if (hadFocus) input.focus({ preventScroll: true });  // e.g. the Retry button just went away
    } else log.appendChild(node);
    entry.node = node;
    log.scrollTop = log.scrollHeight;
  }

  function persist() {
    transcript = transcript.slice(-MAX_TRANSCRIPT);
    store(transcriptKey(), JSON.stringify(transcript.map(function (e) {
      // An unanswered message is stored as failed: after a reload it offers Retry (same id).
      return { who: e.who, message: e.message, ts: e.ts, id: e.id, payload: e.payload, failed: !!(e.failed || e.sending) };
    })));
  }

  function add(entry) { transcript.push(entry); renderEntry(entry); persist(); }

  // -- talking to the assistant -------------------------------------------------------------
  var inflight = 0;
  function postChat(from, text, id) {
    return fetch(apiBase + "/api/chat", {
      // same-origin: the shop's login cookie reaches the API (and links the shopper's cart and
      // orders to their account) when the API is served from the shop's own origin.
      method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin",
      body: JSON.stringify({ sender: from, message: text, metadata: { message_id: id, channel: "web" } }),
    });
  }
  function post(entry) {
    if (entry.sending) return;
    var from = sender;
    entry.sending = true;
    entry.failed = false;
    renderEntry(entry);
    inflight++;
    typing.hidden = false;
    postChat(from, entry.payload, entry.id).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (messages) {
      entry.sending = false;
      if (from !== sender) return;  // conversation was reset meanwhile
      (Array.isArray(messages) ? messages : []).forEach(function (m) {
        if (m && typeof m === "object") add({ who: "bot", message: m, ts: Date.now() });
      });
    }).catch(function () {
      entry.sending = false;
      entry.failed = true;
      if (from === sender) renderEntry(entry);
    }).then(function () {
      inflight = Math.max(0, inflight - 1);
      typing.hidden = inflight === 0;
      if (from === sender) persist();
    });
  }

  function send(payload, shown) {
    var text = String(payload || "").trim().slice(0, 1000);
    if (!text) return;
    var entry = { who: "user", message: { text: shown || text }, payload: text, id: newId(), ts: Date.now() };
    transcript.push(entry);
    post(entry);
    persist();
  }

  function retry(entry) { post(entry); }  // same message id: the server answers it only once

  function greet() { add({ who: "bot", message: { text: options.greeting }, ts: Date.now() }); }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", "Close " + options.title);
    launcher.replaceChild(svgIcon(CLOSE_ICON), launcher.firstChild);
    log.scrollTop = log.scrollHeight;
    input.focus({ preventScroll: true });
  }
  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", "Open " + options.title);
    launcher.replaceChild(svgIcon(CHAT_ICON), launcher.firstChild);
    launcher.focus({ preventScroll: true });
  }
  function reset() {
    var old = sender;
    postChat(old, "/restart", newId()).catch(function () { /* best effort */ });
    forget(transcriptKey());
    sender = newId();
    store(SENDER_KEY, sender);
    transcript = [];
    inflight = 0;
    typing.hidden = true;
    while (log.firstChild) log.removeChild(log.firstChild);
    greet();
    if (!panel.hidden) input.focus({ preventScroll: true });
  }

  launcher.addEventListener("click", function () { if (panel.hidden) open(); else close(); });
  closeButton.addEventListener("click", close);
  resetButton.addEventListener("click", reset);
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.stopPropagation(); close(); } });
  form.addEventListener("submit", function (e) { e.preventDefault(); var v = input.value; input.value = ""; send(v); });

  if (transcript.length) transcript.forEach(renderEntry); else greet();
  function openFromHash() { if (location.hash === "#omnishop-open") open(); }
  function mount() { document.body.appendChild(host); openFromHash(); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
  window.addEventListener("hashchange", openFromHash);
  window.OmnishopWidget = { open: open, close: close, reset: reset };
})();
