// After django-otp-webauthn's script registered a passkey: the pending login's enrolment answers where
// the agent goes next (his backup codes); on his second-factor page, the list is shown again.
document.addEventListener("otp_webauthn.register_complete", (event) => {
  const next = event.detail && event.detail.response && event.detail.response.redirect_url;
  if (next) {
    window.location.assign(next);
  } else {
    window.location.reload();
  }
});
