// tender-emu's page: renders the state the emulator streams on /events and sends keys and
// card actions to POST /input, one at a time and in order (a PIN's digits must arrive as
// typed). Everything shown goes through textContent: nothing the emulator sends is markup.
// The page keeps no key it sent: the PIN pad's digits exist here only inside one request.
"use strict";

const $ = (id) => document.getElementById(id);
let queue = Promise.resolve();
let lastMessages = "";
let lastCards = "";

function send(input) {
  queue = queue
    .then(() => fetch("/input", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(input) }))
    .then((r) => (r.ok ? null : r.text().then((t) => { $("status").textContent = "refused: " + t; })))
    .catch(() => { $("status").textContent = "the emulator does not answer"; });
}

function key(name) { send({ key: name }); }

function renderCards(state) {
  const names = JSON.stringify(state.cards);
  const body = $("cards").tBodies[0];
  if (names !== lastCards) {
    lastCards = names;
    body.replaceChildren();
    for (const card of state.cards) {
      const row = body.insertRow();
      row.id = "card-" + card.name;
      row.insertCell().textContent = card.name + (card.chip ? "" : " (stripe)");
      const insert = document.createElement("button");
      insert.textContent = "Insert";
      insert.id = "insert-" + card.name;
      insert.disabled = !card.chip;
      insert.addEventListener("click", () => send({ card: "insert", name: card.name }));
      const swipe = document.createElement("button");
      swipe.textContent = "Swipe";
      swipe.id = "swipe-" + card.name;
      swipe.addEventListener("click", () => send({ card: "swipe", name: card.name }));
      row.insertCell().append(insert);
      row.insertCell().append(swipe);
    }
  }
  Array.from(body.rows).forEach((row, i) => row.classList.toggle("chosen", i === state.chosen));
}

function renderMessages(state) {
  // A new message, or the newest one answered (a configured host's answers come later).
  const newest = state.messages.length ? state.messages[state.messages.length - 1] : null;
  const signature = state.messages_total + ":" + JSON.stringify(newest);
  if (signature === lastMessages) return;
  lastMessages = signature;
  $("message-count").textContent = String(state.messages_total);
  const list = $("messages");
  list.replaceChildren();
  list.start = state.messages_total;  // numbered as sent, newest first (only the newest are kept)
  for (const m of state.messages.slice().reverse()) {
    const item = document.createElement("li");
    const head = document.createElement("div");
    let line = m.method + " " + m.path;
    if (m.status !== undefined) line += " -> " + m.status;
    head.textContent = line;
    item.append(head);
    if (m.error) {
      const err = document.createElement("div");
      err.className = "bad";
      err.textContent = m.error;
      item.append(err);
    }
    for (const part of ["body", "response"]) {
      if (m[part] === undefined) continue;
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = part;
      const pre = document.createElement("pre");
      pre.textContent = m[part];
      details.append(summary, pre);
      item.append(details);
    }
    list.append(item);
  }
}

function render(state) {
  if (state.display) {
    const d = $("display");
    d.className = "display size-" + state.display.size;
    d.dataset.screen = state.display.screen;
    d.textContent = state.display.rows.join("\n");
    const pin = state.display.screen === "enter_pin";
    $("pinpad").hidden = !pin;
    $("pin-mask").textContent = pin ? "*".repeat(state.display.pin_digits) : "";
  }
  if (state.cards) {
    $("host").textContent = state.host;
    renderCards(state);
    $("status").textContent = state.status;
    $("printed").textContent = state.printed ? state.printed + " printed" : "";
    $("receipt").textContent = state.receipt.join("\n");
    renderMessages(state);
  }
}

function connect() {
  const events = new EventSource("/events");
  events.onopen = () => { $("conn").textContent = "connected"; $("conn").className = "tag on"; };
  events.onerror = () => { $("conn").textContent = "disconnected"; $("conn").className = "tag off"; };
  events.onmessage = (e) => render(JSON.parse(e.data));
}

// The computer's keyboard as the keypad, except while typing track data.
const keyboard = {
  Enter: "ENTER", Escape: "CANCEL", Backspace: "BACKSPACE", Delete: "CLEAR",
  F1: "F1", ArrowUp: "UP", ArrowDown: "DOWN",
};
document.addEventListener("keydown", (e) => {
  if (e.target instanceof HTMLInputElement) return;
  const name = /^[0-9]$/.test(e.key) ? e.key : keyboard[e.key];
  if (!name) return;
  e.preventDefault();
  key(name);
});

document.querySelectorAll("[data-key]").forEach((b) => b.addEventListener("click", () => key(b.dataset.key)));
$("remove-card").addEventListener("click", () => send({ card: "remove" }));
$("raw").addEventListener("submit", (e) => {
  e.preventDefault();
  const tracks = $("tracks").value;
  $("tracks").value = "";
  if (tracks) send({ card: "swipe", tracks: tracks });
});
connect();
