/**
 * Text-only rendering for every ClawGym webview. Task, agent and run text is set as text nodes:
 * nothing here parses a string as HTML (no innerHTML, no insertAdjacentHTML), so markup in agent
 * output is shown literally.
 */

export type Child = Node | string | null | undefined | false;
export type Attrs = Record<string, string>;

/** Create an element; string children become text nodes, null/undefined/false are skipped. */
export function el(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

/** A `vscode-button`; a disabled one ignores clicks. */
export function button(id: string, label: string, onClick: () => void, opts: { secondary?: boolean; disabled?: boolean; title?: string } = {}): HTMLElement {
  const b = el('vscode-button', { ...(id ? { id } : {}), ...(opts.secondary ? { secondary: '' } : {}), ...(opts.disabled ? { disabled: '' } : {}), ...(opts.title ? { title: opts.title } : {}) }, label);
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

/** A label and a preformatted block of text; nothing when the text is empty. */
export function block(label: string, cls: string, text: string | null | undefined): HTMLElement | null {
  if (text === undefined || text === null || text === '') return null;
  return el('div', { class: 'kv' }, el('span', { class: 'k' }, label), el('pre', { class: cls }, text));
}

/** A table of text cells; `head` becomes the header row. */
export function table(head: string[], rows: Array<Array<string | Node>>, attrs: Attrs = {}): HTMLElement {
  return el(
    'table',
    attrs,
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
  );
}
