// The header's part of the session: who is signed in and their role, and Log out; or a
// link to the account card for someone who is not.

import { problemText } from './api';
import { logOut, session } from './auth';
import { h, setText, show } from './dom';

export function sessionBar(): HTMLElement {
  // tabindex -1: after logging in, focus moves here (the form that had it is gone).
  const who = h('p', { class: 'session-who', 'data-field': 'signed-in-as', tabindex: '-1' });
  const logOutButton = h('button', { type: 'button', class: 'session-log-out' }, 'Log out');
  const logIn = h('a', { href: '#account', 'data-link': 'log-in' }, 'Log in or sign up');
  // A polite live region: screen readers hear "Signed in as…" and "Signed out".
  const news = h('p', { class: 'visually-hidden', role: 'status' });
  const bar = h('div', { class: 'session', 'data-session': 'checking' }, who, logOutButton, logIn, news);
  let before = session.state().kind;

  logOutButton.addEventListener('click', () => {
    logOutButton.setAttribute('aria-disabled', 'true');
    void logOut().then((reply) => {
      logOutButton.removeAttribute('aria-disabled');
      // The page is signed out either way; say so if the API could not forget the login.
      if (!reply.ok) setText(news, `Signed out here, but the log-out failed: ${problemText(reply.record)}`);
      document.getElementById('account')?.querySelector('input')?.focus();
    });
  });

  session.watch((state) => {
    bar.dataset['session'] = state.kind === 'signed-in' ? state.user.role : state.kind;
    logOutButton.hidden = state.kind !== 'signed-in';
    logIn.hidden = state.kind !== 'anonymous';
    if (state.kind === 'signed-in') {
      const { name, email, role } = state.user;
      show(
        who,
        'Signed in as ',
        h('strong', { 'data-field': 'user-name' }, name || 'someone'),
        email && h('span', { class: 'session-email', 'data-field': 'user-email' }, ` <${email}>`),
        ' ',
        h('span', { class: 'role', 'data-role': role, 'data-field': 'user-role' }, role),
      );
      setText(news, `Signed in as ${name || email}, ${role}.`);
      // The account card, where focus was, hides: hand focus to what says the outcome.
      if (before !== 'signed-in' && document.activeElement?.closest('#account')) who.focus();
    } else if (state.kind === 'anonymous') {
      show(who, 'Not signed in');
      if (before === 'signed-in') setText(news, 'Signed out.');
    } else show(who, 'Checking for a session…');
    before = state.kind;
  });
  return bar;
}
