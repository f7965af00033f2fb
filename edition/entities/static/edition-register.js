/* The People, companies and organisations overview: a filter box and sortable columns.
 * Works on the table the page already shows; without scripts the table is complete. */
"use strict";
(() => {
  const table = document.querySelector("table.entity-overview");
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  // Letters without tone marks or accents, lower case: "Zhāng" is found by "zhang".
  const plain = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  rows.forEach((row) => { row.dataset.text = plain(row.textContent); });

  const label = document.createElement("label");
  label.className = "entity-filter";
  label.textContent = "Filter: ";
  const input = document.createElement("input");
  input.type = "search";
  input.placeholder = "a name in any script, pinyin or type";
  label.appendChild(input);
  const status = document.createElement("span");
  status.className = "entity-filter-status";
  status.setAttribute("role", "status");
  label.appendChild(status);
  table.parentNode.insertBefore(label, table);

  const filter = () => {
    const wanted = plain(input.value.trim());
    let shown = 0;
    rows.forEach((row) => {
      const match = !wanted || row.dataset.text.includes(wanted);
      row.hidden = !match;
      if (match) shown += 1;
    });
    status.textContent = ` ${shown} of ${rows.length}`;
  };
  input.addEventListener("input", filter);
  filter();

  const headers = Array.from(table.tHead.rows[0].cells);
  const numeric = (index) => rows.every((row) => /^\d+$/.test(row.cells[index].textContent.trim()));
  headers.forEach((th, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "entity-sort";
    button.textContent = th.textContent.trim();
    th.textContent = "";
    th.appendChild(button);
    th.setAttribute("aria-sort", "none");
    button.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach((other) => other.setAttribute("aria-sort", "none"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const isNumber = numeric(index);
      const key = (row) => row.cells[index].textContent.trim();
      const sorted = rows.slice().sort((a, b) => {
        const order = isNumber
          ? Number(key(a)) - Number(key(b))
          : key(a).localeCompare(key(b), "zh-Hans-CN-u-co-pinyin");
        return ascending ? order : -order;
      });
      sorted.forEach((row) => body.appendChild(row));
    });
  });
})();
