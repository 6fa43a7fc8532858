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

  var retry = document.getElementById("agent-retry");
  var unreachable = "L'agent de carte ne répond pas sur cet ordinateur : vérifiez qu'il est démarré, ou faites-le " +
    "installer par votre service informatique (« Téléchargez l'agent de carte » ci-dessus).";

  // Only the ways that can work: the PIN field once the agent says the card is ready; where the
  // portal's own reader is offered and no agent answers, no agent section at all.
  function show(message, ready) {
    statusLine.hidden = false;
    statusLine.textContent = message;
    form.hidden = !ready;
    retry.hidden = ready;
  }

  function refreshStatus() {
    fetch(agent + "/status", {credentials: "omit"}).then(function (r) { return r.json(); }).then(function (s) {
      box.hidden = false;
      show(s.message, Boolean(s.ready));
    }).catch(function () {
      if (document.getElementById("card-reader")) { box.hidden = true; return; }
      show(unreachable, false);
    });
  }

  retry.addEventListener("click", refreshStatus);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.hidden = true;
    var pin = document.getElementById("agent-pin").value;
    var nonce;
    postJson(box.dataset.challengeUrl, {}, {"X-CSRFToken": csrf}).then(function (challenge) {
      nonce = challenge.nonce;
      return postJson(agent + "/sign", {challenge: challenge.challenge, pin: pin}).catch(function (error) {
        if (error instanceof TypeError) {
          throw new Error(unreachable);
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
