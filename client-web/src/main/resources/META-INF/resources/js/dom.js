// A few DOM helpers: the pages build their elements with these (text is always set as text,
// never as HTML, so that nothing a user typed can inject markup).

/**
 * Creates an element.
 * @param {string} tag
 * @param {Record<string, any>} [attrs] attributes; `class`, `text`, `on<event>` handlers, `dataset`, booleans
 * @param {...(Node|string|null|undefined|false)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** @param {string} id @returns {HTMLElement} */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no element #${id}`);
  return el;
}

/** Shows a message in an element (hides it when the message is empty). */
export function show(el, message, tone) {
  el.textContent = message ?? '';
  el.hidden = !message;
  if (tone) el.dataset.tone = tone;
  else delete el.dataset.tone;
}

/** A time for people: 14:05:09, in the browser's time zone. */
export function clockTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
