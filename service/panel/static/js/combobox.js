// Typeahead search for a missing code, following the ARIA combobox pattern: the input owns a
// listbox; Up/Down move the active option (aria-activedescendant), Enter picks, Escape closes.

import { searchCodes } from "./api.js";

const DEBOUNCE_MS = 150;

export function setupCodeSearch({ input, listbox, systemSelect, onPick, onError }) {
  let options = [];
  let active = -1;
  let timer = null;
  let generation = 0;

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(index) {
    active = index;
    listbox.querySelectorAll("[role=option]").forEach((item, i) => {
      item.setAttribute("aria-selected", String(i === index));
    });
    if (index >= 0) {
      const id = `code-option-${index}`;
      input.setAttribute("aria-activedescendant", id);
      document.getElementById(id).scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function pick(index) {
    const option = options[index];
    if (!option) return;
    onPick({ system: option.system, code: option.code, display: option.display });
    input.value = "";
    close();
  }

  function show(results) {
    options = results;
    listbox.replaceChildren();
    results.forEach((result, index) => {
      const item = document.createElement("li");
      item.id = `code-option-${index}`;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      const code = document.createElement("span");
      code.className = "code";
      code.textContent = result.code;
      item.append(code, ` ${result.display}`);
      // mousedown, not click: keep focus in the input so the combobox stays open.
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        pick(index);
      });
      listbox.append(item);
    });
    if (results.length === 0) {
      const empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = "No matching codes";
      listbox.append(empty);
    }
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
    setActive(-1);
  }

  async function search() {
    const query = input.value.trim();
    const mine = ++generation;
    if (query.length < 2) {
      close();
      return;
    }
    try {
      const body = await searchCodes(systemSelect.value, query);
      if (mine === generation) show(body.results || []);
    } catch (error) {
      if (mine === generation) close();
      onError(error);
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  });
  systemSelect.addEventListener("change", () => {
    if (input.value.trim()) search();
  });
  input.addEventListener("keydown", (event) => {
    const open = !listbox.hidden && options.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) search();
      else setActive((active + 1) % options.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      setActive(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      pick(active);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", close);
}
