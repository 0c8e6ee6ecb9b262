// Small building blocks the panels share: labelled fields, cards, result messages.

import { problemSubject, problemText, type ApiRecord } from './api';
import { h, hidden, show, uid, type Child } from './dom';

type Control = HTMLInputElement | HTMLSelectElement;

/** A <label> tied to its control; `hint` is read out with the control too. */
export function field(label: Child | readonly Child[], control: Control, hint?: string): HTMLDivElement {
  control.id ||= uid('field');
  const hintEl = hint ? h('p', { class: 'hint', id: uid('hint') }, hint) : undefined;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  const labelEl = h('label', { for: control.id }, label);
  // A checkbox reads best with its box before the words.
  if (control instanceof HTMLInputElement && control.type === 'checkbox') {
    return h('div', { class: 'field field-check' }, control, labelEl, hintEl);
  }
  return h('div', { class: 'field' }, labelEl, control, hintEl);
}

/** A sub-panel of a section, with its own heading. */
export function card(title: string, className: string, ...children: Child[]): HTMLElement {
  const headingId = uid('card');
  return h('article', { class: `card ${className}`, 'aria-labelledby': headingId }, h('h3', { id: headingId }, title), ...children);
}

/** A panel's result area: polite live region, so screen readers hear the outcome. */
export function resultArea(hook: string): HTMLDivElement {
  return h('div', { class: 'result', role: 'status', 'data-result': hook });
}

export function showSuccess(area: HTMLElement, ...children: Child[]): void {
  area.dataset['outcome'] = 'ok';
  show(area, h('p', { class: 'result-ok' }, h('span', { class: 'result-mark' }, 'Done: '), ...children));
}

/** The error as the API gave it: code, message, and each invalid field. */
export function showProblem(area: HTMLElement, record: ApiRecord): void {
  area.dataset['outcome'] = 'error';
  const details = record.error?.details ?? [];
  show(
    area,
    h('p', { class: 'result-error' }, h('span', { class: 'result-mark' }, 'Failed: '), problemText(record)),
    details.length > 0 &&
      h('ul', { class: 'problems' }, details.map((d) => h('li', null, h('code', null, problemSubject(d)), ` ${d.message}`))),
  );
}

/**
 * One request at a time per action: clicks while it runs are ignored. aria-disabled rather
 * than disabled, because a disabled button drops keyboard focus.
 */
export function oneAtATime(area: HTMLElement, ...buttons: HTMLButtonElement[]): (work: () => Promise<void>) => void {
  let busy = false;
  return (work) => {
    if (busy) return;
    busy = true;
    for (const button of buttons) button.setAttribute('aria-disabled', 'true');
    area.dataset['outcome'] = 'pending';
    show(area, h('p', { class: 'result-note' }, 'Sending…'));
    void work().finally(() => {
      busy = false;
      for (const button of buttons) button.removeAttribute('aria-disabled');
    });
  };
}

export function showNote(area: HTMLElement, text: string): void {
  area.dataset['outcome'] = 'note';
  show(area, h('p', { class: 'result-note' }, text));
}

/** "Copy" with what it copies for screen readers, e.g. "Copy request id". */
function copyButton(what: string, text: () => string, target: () => Element): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'copy' }, 'Copy', hidden(` ${what}`));
  button.addEventListener('click', () => void copy(button, text(), target()));
  return button;
}

// navigator.clipboard exists only in secure contexts; over plain http on a LAN address the
// text is selected instead, so Ctrl+C / ⌘C does the rest.
async function copy(button: HTMLButtonElement, text: string, target: Element): Promise<void> {
  const label = button.firstChild;
  try {
    if (!navigator.clipboard) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    if (label) label.textContent = 'Copied';
  } catch {
    const range = document.createRange();
    range.selectNodeContents(target);
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
    if (label) label.textContent = 'Selected: press Ctrl+C';
  }
  setTimeout(() => {
    if (label) label.textContent = 'Copy';
  }, 2000);
}

/** A command to paste in a terminal, with its copy button. */
export function commandLine(command: string, what = 'command'): HTMLDivElement {
  const code = h('code', { class: 'command' }, command);
  return h('div', { class: 'command-line' }, code, copyButton(what, () => command, () => code));
}
