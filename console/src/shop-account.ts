// Your account, for someone not signed in: log in, or sign up (which then logs in). Once
// signed in the card hides; the page header says who is signed in and offers Log out.

import { request } from './api';
import type { User } from './api-types';
import { logIn, session } from './auth';
import { h, show } from './dom';
import { card, field, oneAtATime, resultArea, showNote, showProblem } from './ui';

function emailInput(autocomplete: string): HTMLInputElement {
  return h('input', { type: 'email', name: 'email', autocomplete, spellcheck: 'false', placeholder: 'ann@example.com' });
}

function passwordInput(autocomplete: string): HTMLInputElement {
  return h('input', { type: 'password', name: 'password', autocomplete });
}

function loginForm(): HTMLElement {
  const email = emailInput('username');
  const password = passwordInput('current-password');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const result = resultArea('log-in');
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'data-form': 'log-in', 'aria-labelledby': 'log-in-title' },
    h('h4', { id: 'log-in-title' }, 'Log in'),
    field('Email', email),
    field('Password', password),
    h('div', { class: 'actions' }, submit),
    result,
  );
  const run = oneAtATime(result, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run(async () => {
      const reply = await logIn(email.value.trim(), password.value);
      if (!reply.ok) return showProblem(result, reply.record);
      form.reset();
      result.replaceChildren();
    });
  });
  return form;
}

function signUpForm(): HTMLElement {
  const email = emailInput('email');
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', placeholder: 'Ann' });
  const password = passwordInput('new-password');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign up');
  const result = resultArea('sign-up');
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'data-form': 'sign-up', 'aria-labelledby': 'sign-up-title' },
    h('h4', { id: 'sign-up-title' }, 'Sign up'),
    field('Email', email),
    field('Name', name),
    field('Password', password, '10 to 128 characters; length is what counts, no other rules.'),
    h('div', { class: 'actions' }, submit),
    result,
  );
  const run = oneAtATime(result, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run(async () => {
      // No checks here on purpose: the API's own validation errors are part of the demo.
      const body = { email: email.value.trim(), name: name.value.trim(), password: password.value };
      const created = await request<User>('POST', '/api/users', { body });
      if (!created.data) return showProblem(result, created.record);
      // Signed up: log in with the same words, as any shop does next.
      const reply = await logIn(body.email, body.password);
      if (!reply.ok) return showProblem(result, reply.record);
      form.reset();
      result.replaceChildren();
    });
  });
  return form;
}

export function accountCard(): HTMLElement {
  const checking = h('p', { class: 'hint', 'data-field': 'session-check' }, 'Checking for a session…');
  const forms = h('div', { class: 'account-forms' }, loginForm(), signUpForm());
  const problem = resultArea('session');
  const el = card(
    'Your account',
    'card-account',
    h('p', { class: 'hint' }, 'Anyone may read the catalogue. Customers order and see their own orders; an admin also manages products and users.'),
    checking,
    forms,
    problem,
  );
  el.id = 'account';
  session.watch((state) => {
    checking.hidden = state.kind !== 'checking';
    forms.hidden = state.kind === 'checking';
    if (state.kind === 'anonymous' && state.problem) showNote(problem, `Not signed in: ${state.problem}.`);
    else show(problem);
  });
  return el;
}
