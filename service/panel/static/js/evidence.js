// The note with its evidence highlighted. Overlapping spans are cut at every boundary so each
// piece of text is one <mark>; each mark knows the spans (and so the codes) that cover it.

const ASSERTION_ORDER = ["present", "possible", "hypothetical", "historical", "family", "negated"];

/** Cut [0, text.length) at every span boundary; keep the pieces some span covers. */
export function segments(textLength, spans) {
  const cuts = new Set([0, textLength]);
  for (const span of spans) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const points = [...cuts].filter((p) => p >= 0 && p <= textLength).sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i];
    const end = points[i + 1];
    const covering = spans.filter((s) => s.start <= start && s.end >= end && s.end > s.start);
    pieces.push({ start, end, covering });
  }
  return pieces;
}

function assertionOf(covering) {
  const present = new Set(covering.map((s) => s.evidence.assertion));
  return ASSERTION_ORDER.find((a) => present.has(a)) || "present";
}

/**
 * Render `text` into `container`, marking `spans` ({start, end, evidence, suggestion}).
 * `onSelectSpan(piece)` is called when a mark is clicked or activated from the keyboard.
 */
export function renderNote(container, text, spans, onSelectSpan) {
  container.replaceChildren();
  for (const piece of segments(text.length, spans)) {
    const slice = text.slice(piece.start, piece.end);
    if (piece.covering.length === 0) {
      container.append(document.createTextNode(slice));
      continue;
    }
    const mark = document.createElement("mark");
    const assertion = assertionOf(piece.covering);
    mark.className = `evidence assert-${assertion}`;
    mark.textContent = slice;
    mark.tabIndex = 0;
    mark.setAttribute("role", "button");
    mark.dataset.start = String(piece.start);
    mark.dataset.end = String(piece.end);
    mark.dataset.assertion = assertion;
    const codes = [...new Set(piece.covering.map((s) => s.suggestion.code))].join(", ");
    mark.setAttribute("aria-label", `${slice} (${assertion}; supports ${codes})`);
    mark.addEventListener("click", () => onSelectSpan(piece));
    mark.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        onSelectSpan(piece);
      }
    });
    container.append(mark);
  }
}
