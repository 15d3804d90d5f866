// The suggestion list: grouped by code system, each with its score bar, billable flag, a
// button that selects it (highlighting its evidence) and Accept / Reject toggle buttons.

const SYSTEM_ORDER = ["ICD-10-CM", "ICD-10-PCS", "CPT", "HCPCS"];

export const keyOf = (item) => `${item.system}|${item.code}`;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function toggle(label, className, code) {
  const button = element("button", `toggle ${className}`, label);
  button.type = "button";
  button.setAttribute("aria-pressed", "false");
  button.setAttribute("aria-label", `${label} ${code}`);
  return button;
}

/**
 * Render `suggestions` into `container`; `on.select(key)` and `on.verdict(key, verdict)` are
 * called when the coder selects a suggestion or presses Accept / Reject.
 */
export function renderSuggestions(container, suggestions, on) {
  container.replaceChildren();
  if (suggestions.length === 0) {
    container.append(element("p", "hint", "No suggestions above the threshold for this note."));
    return;
  }
  for (const system of SYSTEM_ORDER) {
    const items = suggestions.filter((s) => s.system === system);
    if (items.length === 0) continue;
    const group = element("section", "system-group");
    const headingId = `group-${system}`;
    const heading = element("h3", "", `${system} (${items.length})`);
    heading.id = headingId;
    group.setAttribute("aria-labelledby", headingId);
    const list = element("ul", "suggestion-list");
    for (const item of items) list.append(renderItem(item, on));
    group.append(heading, list);
    container.append(group);
  }
}

function renderItem(item, on) {
  const key = keyOf(item);
  const li = element("li", "suggestion");
  li.dataset.key = key;

  const select = element("button", "select");
  select.type = "button";
  select.setAttribute("aria-pressed", "false");
  const evidenceCount = (item.evidence || []).length;
  select.append(
    element("span", "code", item.code),
    element("span", "display", item.display),
    element("span", "evidence-count", evidenceCount === 1 ? "1 span" : `${evidenceCount} spans`),
  );
  select.title = "Show the evidence for this code in the note";
  select.addEventListener("click", () => on.select(key));

  const meta = element("div", "meta");
  const bar = element("span", "bar");
  bar.setAttribute("aria-hidden", "true");
  const fill = element("span", "fill");
  // CSSOM, not a style attribute: allowed under style-src 'self'.
  fill.style.width = `${Math.round(Math.max(0, Math.min(1, item.score)) * 100)}%`;
  bar.append(fill);
  const score = element("span", "score", item.score.toFixed(2));
  score.setAttribute("aria-label", `score ${item.score.toFixed(2)}`);
  const billable = element(
    "span",
    item.billable ? "billable yes" : "billable no",
    item.billable ? "Billable" : "Not billable",
  );
  meta.append(bar, score, billable);

  const verdict = element("div", "verdict");
  verdict.setAttribute("role", "group");
  verdict.setAttribute("aria-label", `Verdict on ${item.code}`);
  const accept = toggle("Accept", "accept", item.code);
  const reject = toggle("Reject", "reject", item.code);
  accept.addEventListener("click", () => on.verdict(key, "accepted"));
  reject.addEventListener("click", () => on.verdict(key, "rejected"));
  verdict.append(accept, reject);

  li.append(select, meta, verdict);
  return li;
}

/** Reflect the selection and the verdicts in the rendered list without re-rendering it. */
export function updateSuggestions(container, selectedKey, verdicts) {
  for (const li of container.querySelectorAll("li.suggestion")) {
    const key = li.dataset.key;
    const verdict = verdicts.get(key) || null;
    li.classList.toggle("selected", key === selectedKey);
    li.classList.toggle("accepted", verdict === "accepted");
    li.classList.toggle("rejected", verdict === "rejected");
    li.querySelector("button.select").setAttribute("aria-pressed", String(key === selectedKey));
    li.querySelector("button.accept").setAttribute("aria-pressed", String(verdict === "accepted"));
    li.querySelector("button.reject").setAttribute("aria-pressed", String(verdict === "rejected"));
  }
}
