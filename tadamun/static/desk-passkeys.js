// After a passkey is added, show the page again: it then lists the passkey and offers
// recovery codes. (Kept out of the page itself: the Content-Security-Policy allows no
// inline script.)
document.addEventListener("otp_webauthn.register_complete", function () {
  window.location.reload();
});
