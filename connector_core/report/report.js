// A click on a matrix cell shows that cell's cases (and hides the cell shown before).
"use strict";
document.querySelectorAll("#matrix button.cell").forEach((button) => {
  button.addEventListener("click", () => {
    const panel = document.getElementById(button.getAttribute("aria-controls"));
    const opening = panel.hidden;
    document.querySelectorAll(".cell-cases").forEach((other) => { other.hidden = true; });
    document.querySelectorAll("#matrix button.cell").forEach((other) => other.setAttribute("aria-expanded", "false"));
    panel.hidden = !opening;
    button.setAttribute("aria-expanded", String(opening));
    if (opening) panel.scrollIntoView({ block: "nearest" });
  });
});
