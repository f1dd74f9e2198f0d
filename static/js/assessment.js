// The quarterly assessment grid (tasks/assessment.html): each row's total follows its four
// scores as they are typed. Without this file the total is computed when the grid is saved.
"use strict";

document.addEventListener("input", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-score")) return;
  const row = input.closest("[data-score-row]");
  const total = row && row.querySelector("[data-total]");
  if (!total) return;
  let sum = 0;
  let filled = 0;
  for (const score of row.querySelectorAll("input[data-score]")) {
    const value = Number.parseInt(score.value, 10);
    if (!Number.isNaN(value)) {
      sum += value;
      filled += 1;
    }
  }
  total.textContent = filled ? String(sum) : "—";
});
