// The coder panel: ask for suggestions, review them against the note, send the verdicts.

import {
  AuthRequiredError,
  ProblemError,
  feedbackStats,
  setApiKey,
  sha256Hex,
  submitFeedback,
  suggest,
} from "./api.js";
import { setupCodeSearch } from "./combobox.js";
import { renderNote } from "./evidence.js";
import { renderStats } from "./stats.js";
import { keyOf, renderSuggestions, updateSuggestions } from "./suggestions.js";

const $ = (id) => document.getElementById(id);

const state = {
  text: "", // the note exactly as it was sent for suggestions
  model: null,
  suggestions: [],
  verdicts: new Map(), // key -> "accepted" | "rejected"
  added: [], // {system, code, display}
  selected: null,
};
let pendingAction = null;

function announce(message, kind = "info") {
  const status = $("status");
  status.className = `status ${kind}`;
  status.textContent = message;
}

function describeError(error) {
  if (error instanceof ProblemError) {
    const retry = error.retryAfter ? ` Try again in ${error.retryAfter} s.` : "";
    const fields = (error.problem.errors || []).map((e) => e.loc.slice(1).join(".")).join(", ");
    return `${error.message}${fields ? ` (${fields})` : ""}${retry}`;
  }
  return "The service could not be reached.";
}

function askForKey(retry) {
  pendingAction = retry;
  $("key-section").hidden = false;
  $("api-key").focus();
  announce("This service needs an API key. Enter it to continue.", "error");
}

// Runs `action`; on a 401 asks for an API key and runs it again once one is given.
async function withKey(action) {
  try {
    await action();
  } catch (error) {
    if (error instanceof AuthRequiredError) askForKey(action);
    else announce(describeError(error), "error");
  }
}

function evidenceSpans() {
  const chosen = state.suggestions.filter((s) => state.selected === null || keyOf(s) === state.selected);
  return chosen.flatMap((suggestion) =>
    (suggestion.evidence || []).map((evidence) => ({
      start: evidence.start,
      end: evidence.end,
      evidence,
      suggestion,
    })),
  );
}

function showSpanCodes(piece) {
  const box = $("span-codes");
  box.replaceChildren();
  const start = piece.start;
  const end = piece.end;
  const supporting = state.suggestions.filter((s) =>
    (s.evidence || []).some((e) => e.start < end && e.end > start),
  );
  const title = document.createElement("p");
  title.textContent = `“${state.text.slice(start, end)}” supports ${supporting.length} code${supporting.length === 1 ? "" : "s"}:`;
  const list = document.createElement("ul");
  for (const suggestion of supporting) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = `${suggestion.code} ${suggestion.display}`;
    button.addEventListener("click", () => selectSuggestion(keyOf(suggestion)));
    li.append(button);
    list.append(li);
  }
  box.append(title, list);
}

function refresh() {
  renderNote($("note-view"), state.text, evidenceSpans(), showSpanCodes);
  updateSuggestions($("suggestions"), state.selected, state.verdicts);
}

function selectSuggestion(key) {
  state.selected = state.selected === key ? null : key;
  $("span-codes").replaceChildren();
  refresh();
}

function setVerdict(key, verdict) {
  if (state.verdicts.get(key) === verdict) state.verdicts.delete(key);
  else state.verdicts.set(key, verdict);
  refresh();
}

function renderAdded() {
  const list = $("added-codes");
  list.replaceChildren();
  for (const code of state.added) {
    const li = document.createElement("li");
    const label = document.createElement("span");
    label.textContent = `${code.system} ${code.code} ${code.display || ""}`;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link";
    remove.textContent = "Remove";
    remove.setAttribute("aria-label", `Remove ${code.code}`);
    remove.addEventListener("click", () => {
      state.added = state.added.filter((c) => keyOf(c) !== keyOf(code));
      renderAdded();
      announce(`Removed ${code.code}.`);
      $("code-search").focus();
    });
    li.append(label, " ", remove);
    list.append(li);
  }
}

function addCode(code) {
  const key = keyOf(code);
  // The API keeps "added" for codes the model missed; a suggested one is accepted instead.
  if (state.suggestions.some((s) => keyOf(s) === key)) {
    state.verdicts.set(key, "accepted");
    refresh();
    announce(`${code.code} was already suggested; marked it accepted.`);
    return;
  }
  if (!state.added.some((c) => keyOf(c) === key)) state.added.push(code);
  renderAdded();
  announce(`Added ${code.code}.`);
}

async function loadStats() {
  if (!state.model) return;
  const stats = await feedbackStats(state.model.version);
  renderStats($("stats"), stats);
}

async function requestSuggestions() {
  const text = $("note-text").value;
  if (!text.trim()) {
    announce("Paste or load a note first.", "error");
    return;
  }
  const systems = [...document.querySelectorAll("input[name=system]:checked")].map((i) => i.value);
  announce("Asking for suggestions…");
  const body = await suggest({ text, code_systems: systems, top_k: 10, include_evidence: true });
  Object.assign(state, {
    text,
    model: body.model,
    suggestions: body.suggestions,
    verdicts: new Map(),
    added: [],
    selected: null,
  });
  $("model-info").textContent = `Model ${body.model.name} ${body.model.version}`;
  renderSuggestions($("suggestions"), state.suggestions, { select: selectSuggestion, verdict: setVerdict });
  renderAdded();
  $("evidence-pane").hidden = false;
  $("span-codes").replaceChildren();
  $("submit-feedback").disabled = false;
  refresh();
  const warnings = (body.warnings || []).length ? ` Warnings: ${body.warnings.join("; ")}` : "";
  announce(`${state.suggestions.length} suggestions from model ${body.model.version}.${warnings}`);
  await loadStats().catch(() => announce("Statistics are unavailable right now.", "error"));
}

async function sendFeedback() {
  const coderId = $("coder-id").value.trim();
  if (!coderId) {
    announce("Enter your coder ID before submitting.", "error");
    $("coder-id").focus();
    return;
  }
  const pick = (verdict) =>
    state.suggestions
      .filter((s) => state.verdicts.get(keyOf(s)) === verdict)
      .map((s) => ({ system: s.system, code: s.code }));
  const body = {
    text_sha256: await sha256Hex(state.text),
    model_version: state.model.version,
    coder_id: coderId,
    suggested: state.suggestions.map((s) => ({ system: s.system, code: s.code, score: s.score })),
    accepted: pick("accepted"),
    rejected: pick("rejected"),
    added: state.added.map((c) => ({ system: c.system, code: c.code })),
  };
  const documentId = $("document-id").value.trim();
  if (documentId) body.document_id = documentId;
  if ($("share-text").checked) body.text = state.text;
  announce("Sending feedback…");
  const receipt = await submitFeedback(body);
  const kept = receipt.text_stored ? " The note text was kept for training." : "";
  announce(`Feedback stored (id ${receipt.id}).${kept}`, "success");
  await loadStats().catch(() => announce("Feedback stored; statistics are unavailable.", "error"));
}

function init() {
  $("note-form").addEventListener("submit", (event) => {
    event.preventDefault();
    withKey(requestSuggestions);
  });
  $("note-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    $("note-text").value = await file.text();
    announce(`Loaded ${file.name}.`);
  });
  $("feedback-form").addEventListener("submit", (event) => {
    event.preventDefault();
    withKey(sendFeedback);
  });
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setApiKey($("api-key").value.trim());
    $("api-key").value = "";
    $("key-section").hidden = true;
    announce("API key set for this page.");
    const action = pendingAction;
    pendingAction = null;
    if (action) withKey(action);
  });
  setupCodeSearch({
    input: $("code-search"),
    listbox: $("code-options"),
    systemSelect: $("add-system"),
    onPick: addCode,
    onError: (error) => {
      if (error instanceof AuthRequiredError) askForKey(null);
      else announce(describeError(error), "error");
    },
  });
}

init();
