// Agent mode of the CPx card login: challenge from the portal, signature by the local agent
// (the PIN goes to 127.0.0.1 only), verification by the portal. No build step.
(function () {
  "use strict";
  var box = document.getElementById("card-agent");
  if (!box) { return; }
  var agent = box.dataset.agentUrl.replace(/\/$/, "");
  var statusLine = document.getElementById("card-agent-status");
  var errorBox = document.getElementById("card-login-error");
  var form = document.getElementById("card-agent-form");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;

  function showError(message) {
    errorBox.hidden = false;
    errorBox.querySelector("p").textContent = message;
  }

  function postJson(url, body, headers) {
    return fetch(url, {
      method: "POST", credentials: url.indexOf(agent) === 0 ? "omit" : "same-origin",
      headers: Object.assign({"Content-Type": "application/json", "Accept": "application/json"}, headers || {}),
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.message || "Erreur " + response.status); }
        return data;
      });
    });
  }

  function refreshStatus() {
    fetch(agent + "/status", {credentials: "omit"}).then(function (r) { return r.json(); }).then(function (s) {
      statusLine.textContent = s.message;
    }).catch(function () {
      statusLine.textContent = "Agent de carte injoignable : lancez « python -m cards.agent » sur ce poste.";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.hidden = true;
    var pin = document.getElementById("agent-pin").value;
    var nonce;
    postJson(box.dataset.challengeUrl, {}, {"X-CSRFToken": csrf}).then(function (challenge) {
      nonce = challenge.nonce;
      return postJson(agent + "/sign", {challenge: challenge.challenge, pin: pin}).catch(function (error) {
        if (error instanceof TypeError) {
          throw new Error("Agent de carte injoignable : lancez « python -m cards.agent » sur ce poste.");
        }
        throw error;
      });
    }).then(function (signed) {
      return postJson(box.dataset.loginUrl + "?next=" + encodeURIComponent(box.dataset.next),
                      {nonce: nonce, certificate: signed.certificate, signature: signed.signature},
                      {"X-CSRFToken": csrf});
    }).then(function (session) {
      // The agent tells the portal itself when the card leaves the reader.
      return postJson(agent + "/watch", {token: session.removal_token, url: session.removal_url})
        .catch(function () { return null; })
        .then(function () { window.location.assign(session.redirect); });
    }).catch(function (error) {
      document.getElementById("agent-pin").value = "";
      showError(error.message);
      refreshStatus();
    });
  });
  refreshStatus();
})();
