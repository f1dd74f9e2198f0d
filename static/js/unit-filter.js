// A search box above each unit picker (<select data-unit-filter>): typing keeps the units
// whose name contains the text, their 乡镇 / 县 / 市 groups with them, and chooses the unit
// when one is left. Without script the grouped select works alone. Rows added by htmx
// (另加一位群众) get their box on htmx:load.
(function () {
  "use strict";

  function attach(select) {
    if (select.dataset.unitFilterReady) return;
    select.dataset.unitFilterReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "unit-filter";
    box.id = select.id + "-filter";
    box.setAttribute("aria-label", select.dataset.filterLabel || "");
    box.placeholder = select.dataset.filterLabel || "";
    box.setAttribute("aria-controls", select.id);
    box.autocomplete = "off";
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var text = box.value.trim().toLowerCase();
      var left = [];
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var keep = !text || option.text.toLowerCase().indexOf(text) !== -1;
        option.hidden = !keep;
        if (keep) left.push(option);
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (text && left.length === 1) {
        select.value = left[0].value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function scan(root) {
    Array.prototype.forEach.call(
      (root || document).querySelectorAll("select[data-unit-filter]"),
      attach
    );
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();
