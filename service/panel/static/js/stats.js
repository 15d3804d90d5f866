// Acceptance statistics for the model in use: a table per code system and one per code.

function percent(rate) {
  return rate === null || rate === undefined ? "–" : `${Math.round(rate * 100)}%`;
}

function table(caption, headers, rows) {
  const element = document.createElement("table");
  const cap = document.createElement("caption");
  cap.textContent = caption;
  const head = document.createElement("thead");
  const headRow = document.createElement("tr");
  for (const header of headers) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = header;
    if (header === "System" || header === "Code") th.className = "text";
    headRow.append(th);
  }
  head.append(headRow);
  const body = document.createElement("tbody");
  for (const row of rows) {
    const tr = document.createElement("tr");
    row.forEach((value, index) => {
      const cell = document.createElement(index === 0 ? "th" : "td");
      if (index === 0) cell.scope = "row";
      cell.textContent = String(value);
      // Names read left-aligned; counts and rates line up on the right.
      if (typeof value !== "number" && !/^(–|\d+%)$/.test(value)) cell.className = "text";
      tr.append(cell);
    });
    body.append(tr);
  }
  element.append(cap, head, body);
  return element;
}

const COUNTS = ["Suggested", "Accepted", "Rejected", "Added", "Acceptance"];
const counts = (t) => [t.suggested, t.accepted, t.rejected, t.added, percent(t.acceptance_rate)];

export function renderStats(container, stats) {
  container.replaceChildren();
  const summary = document.createElement("p");
  summary.textContent =
    `Model version ${stats.model_version}: ${stats.submissions} submission` +
    `${stats.submissions === 1 ? "" : "s"}.`;
  container.append(summary);
  if (stats.submissions === 0) return;
  container.append(
    table("Per code system", ["System", ...COUNTS], stats.by_system.map((t) => [t.system, ...counts(t)])),
    table(
      "Per code (most suggested first)",
      ["Code", "System", ...COUNTS],
      stats.by_code.map((t) => [t.code, t.system, ...counts(t)]),
    ),
  );
}
