/* The portal's few behaviours that need a script. Loaded as a static file (the
   Content-Security-Policy allows no inline script); every page works without it. */
(function () {
  "use strict";

  // A filter drawer (<details class="filter-drawer">) starts closed so a phone shows the
  // results first; on a wide screen there is room, so it opens.
  if (window.matchMedia("(min-width: 601px)").matches) {
    document.querySelectorAll("details.filter-drawer").forEach(function (drawer) {
      drawer.open = true;
    });
  }

  // A menu (<details class="account-menu"> or "more-menu") closes on Escape and on a
  // click outside it, as people expect of a menu.
  function closeMenus(except) {
    document.querySelectorAll("details.account-menu[open], details.more-menu[open]").forEach(function (menu) {
      if (menu !== except) {
        menu.open = false;
      }
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest("details.account-menu, details.more-menu"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var open = document.querySelector("details.account-menu[open], details.more-menu[open]");
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
      }
    }
  });

  // A copy button: <button data-copy="#some-input" data-copied="已复制" hidden>. Shown only
  // where the clipboard can be written; says so in its status element when done.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.querySelector(button.dataset.copy);
    if (!source || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.value !== undefined ? source.value : source.textContent;
      navigator.clipboard.writeText(text.trim()).then(function () {
        var status = document.querySelector(button.dataset.status);
        if (status) {
          status.textContent = button.dataset.copied;
        }
      });
    });
  });

  // The voting page (/vote/): a slip's QR code carries the code in the URL fragment,
  // which browsers never send to a server. Put it in the form, take it out of the
  // address bar and the history, and post it: the code never travels in a URL.
  var voteCode = document.querySelector("input[data-vote-code]");
  if (voteCode && window.location.hash.length > 1) {
    var fromSlip = window.location.hash.slice(1).replace(/[^0-9A-Za-z-]/g, "").slice(0, 30);
    window.history.replaceState(null, "", window.location.pathname);
    if (fromSlip) {
      voteCode.value = fromSlip;
      voteCode.form.submit();
    }
  }
})();
