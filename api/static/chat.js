// The web chat page. The conversation id is issued by the server and kept in an HttpOnly cookie
// (tgpl_chat, same origin only): this script never sees, invents or stores it.
"use strict";
const log = document.getElementById("log"), statusLine = document.getElementById("status");
localStorage.removeItem("tgpl-sender-id");  // the id an older version of this page made up
function add(text, who) {
  const div = document.createElement("div");
  div.className = "msg " + who; div.textContent = text; log.appendChild(div);
  log.scrollTop = log.scrollHeight; return div;
}
function addButtons(buttons) {
  const box = document.createElement("div"); box.className = "chips";
  for (const b of buttons) {
    const btn = document.createElement("button"); btn.type = "button"; btn.textContent = b.title;
    btn.onclick = () => send(b.payload, b.title); box.appendChild(btn);
  }
  log.appendChild(box); log.scrollTop = log.scrollHeight;
}
function keepUnsent(text, shown) {  // a typed message that was not handled goes back into the box
  const input = document.getElementById("text");
  if (!shown && !input.value) input.value = text;
}
async function send(text, shown) {
  add(shown || text, "user"); statusLine.textContent = "Đang trả lời...";
  try {
    const r = await fetch("/api/v1/chat", {
      method: "POST", credentials: "same-origin", headers: {"content-type": "application/json"},
      body: JSON.stringify({text}),
    });
    const body = await r.json();
    if (!r.ok) {
      add(body.detail || "Xin lỗi, có lỗi xảy ra.", "bot");
      // 401: the conversation ran out (or its id is not valid); the server has cleared the cookie,
      // so the next message starts a new conversation. 503: not handled, to be sent again.
      if (r.status === 401 || r.status === 503) keepUnsent(text, shown);
    } else {
      for (const m of body.messages) { if (m.text) add(m.text, "bot"); if (m.buttons && m.buttons.length) addButtons(m.buttons); }
    }
  } catch (e) { add("Không kết nối được máy chủ. Bạn vui lòng thử lại.", "bot"); keepUnsent(text, shown); }
  statusLine.textContent = "";
}
document.getElementById("form").onsubmit = (e) => {
  e.preventDefault(); const input = document.getElementById("text");
  const text = input.value.trim(); if (text) { input.value = ""; send(text); }
};
add("Xin chào! Bạn cần hỏi gì về pháp luật? Ví dụ: \"nhà tôi hộ nghèo có được trợ giúp pháp lý không\".", "bot");
