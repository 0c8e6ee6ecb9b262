// Customers: create a user, and choose the customer the order form and the orders list use.

import { request } from './api';
import type { Page, User } from './api-types';
import { h } from './dom';
import { customer, emit, shop } from './shop-state';
import { card, field, oneAtATime, resultArea, showProblem, showSuccess } from './ui';

export function usersCard(): HTMLElement {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'off', spellcheck: 'false', placeholder: 'ann@example.com' });
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'off', placeholder: 'Ann' });
  const created = resultArea('create-user');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create user');
  const select = h('select', { name: 'customer', 'data-select': 'customer' });
  const listResult = resultArea('users');

  const renderOptions = (): void => {
    const options = shop.users.map((user) => h('option', { value: user.id }, `${user.name} <${user.email}>`));
    const placeholder = h('option', { value: '' }, shop.users.length ? 'Choose a customer' : 'No users yet: create one above');
    select.replaceChildren(placeholder, ...options);
    select.value = customer() ? shop.customerId : '';
  };

  const choose = (id: string): void => {
    shop.customerId = id;
    select.value = id;
    emit('customer');
  };

  const loadUsers = async (): Promise<void> => {
    const result = await request<Page<User>>('GET', '/api/users?limit=100');
    if (!result.data) {
      showProblem(listResult, result.record);
      return;
    }
    listResult.replaceChildren();
    shop.users = result.data.items;
    renderOptions();
    emit('users');
    // Start with someone chosen, so the order form works straight away.
    if (!customer() && shop.users[0]) choose(shop.users[0].id);
  };

  const form = h(
    'form',
    { class: 'form', novalidate: true, 'data-form': 'create-user' },
    field('Email', email),
    field('Name', name),
    h('div', { class: 'actions' }, submit),
  );
  const run = oneAtATime(created, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run(async () => {
      // No checks here on purpose: the API's own validation errors are part of the demo.
      const result = await request<User>('POST', '/api/users', { body: { email: email.value.trim(), name: name.value.trim() } });
      if (!result.data) return showProblem(created, result.record);
      const user = result.data;
      showSuccess(created, `created ${user.name} <${user.email}>, id `, h('code', null, user.id));
      form.reset();
      await loadUsers();
      choose(user.id);
    });
  });
  select.addEventListener('change', () => choose(select.value));

  void loadUsers();
  return card(
    'Customers',
    'card-users',
    h('h4', null, 'Create a user'),
    form,
    created,
    h('h4', null, 'Choose a customer'),
    field('Customer', select, 'Used by the order form and the orders list (GET /api/users?limit=100).'),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => void loadUsers() }, 'Reload users')),
    listResult,
  );
}
