// Users, for an admin: every account with its role (GET /api/users), and a way to see any
// one's orders. Customers and anonymous visitors never see this card, and the API would
// refuse them anyway (403, 401).

import { request } from './api';
import type { Page, User } from './api-types';
import { session } from './auth';
import { h, show } from './dom';
import { formatDate } from './format';
import { showOrdersOf } from './shop-state';
import { card, resultArea, showProblem } from './ui';

const LIMIT = 100;

function userRow(user: User): HTMLLIElement {
  return h(
    'li',
    { class: 'user', 'data-user-id': user.id },
    h(
      'div',
      { class: 'user-text' },
      h('span', { class: 'user-name' }, user.name, ' ', h('span', { class: 'role', 'data-role': user.role }, user.role)),
      h('span', { class: 'user-meta' }, user.email, ' · since ', h('time', { dateTime: user.createdAt }, formatDate(user.createdAt))),
    ),
    h('button', { type: 'button', 'aria-label': `Orders of ${user.name}`, onclick: () => showOrdersOf(user) }, 'Orders'),
  );
}

export function usersCard(): HTMLElement {
  const list = h('ul', { class: 'user-list', 'aria-label': 'Users', 'data-list': 'users' });
  const summary = h('p', { class: 'hint', 'data-field': 'users-total' });
  const result = resultArea('users');
  let generation = 0;

  const load = async (): Promise<void> => {
    const mine = ++generation;
    const response = await request<Page<User>>('GET', `/api/users?limit=${LIMIT}`);
    if (mine !== generation) return;
    if (!response.data) return showProblem(result, response.record);
    result.replaceChildren();
    const { items, total } = response.data;
    show(list, items.map(userRow));
    show(summary, total > items.length ? `The first ${items.length} of ${total} users.` : `${total} ${total === 1 ? 'user' : 'users'}.`);
  };

  session.watch((state) => {
    generation += 1; // an answer on its way belongs to the previous session
    list.replaceChildren();
    summary.replaceChildren();
    result.replaceChildren();
    if (state.kind === 'signed-in' && state.user.role === 'admin') void load();
  });

  return card(
    'Users',
    'card-users',
    h('p', { class: 'hint' }, 'Admins only: GET /api/users answers 403 to a customer.'),
    summary,
    list,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => void load() }, 'Reload users')),
    result,
  );
}
