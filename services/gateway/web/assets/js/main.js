// The page's router: sign-in, then one view per address fragment.
//   #/                          rollout of the default central document
//   #/rollout/directives/1      rollout of that document
//   #/locality/01[/directives/1] one locality (drilled down for the document)
//   #/overdue[/01]              overdue items (of one locality)
import {ApiError, call, explain, setToken, token} from './api.js';
import {replaceChildren} from './dom.js';
import {renderLocality} from './views/locality.js';
import {renderOverdue} from './views/overdue.js';
import {renderRollout} from './views/rollout.js';
import {failure, loading} from './views/common.js';

const view = document.getElementById('view');
const signIn = document.getElementById('sign-in');
const signInForm = document.getElementById('sign-in-form');
const signInError = document.getElementById('sign-in-error');
const tokenInput = document.getElementById('token');
const nav = document.getElementById('nav');
const names = new Map();
let renderCount = 0;

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function showSignIn(message) {
  nav.hidden = true;
  replaceChildren(view);
  signIn.hidden = false;
  signInError.textContent = message || '';
  tokenInput.value = '';
  tokenInput.focus();
}

// Today's localities by name, for lists that carry only codes.
async function loadNames() {
  if (names.size) return;
  const found = await call('caunoi.v1.OrganizationService/ListLocalities', {pageSize: 200});
  for (const locality of found.localities || []) names.set(locality.name, locality.displayName);
}

function parse(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const documentAt = (index) => (parts[index] === 'directives' && parts[index + 1] ? `directives/${parts[index + 1]}` : '');
  switch (parts[0]) {
    case 'locality': return {page: 'locality', code: parts[1], documentName: documentAt(2)};
    case 'overdue': return {page: 'overdue', code: parts[1] || ''};
    case 'rollout': return {page: 'rollout', documentName: documentAt(1)};
    default: return {page: 'rollout', documentName: ''};
  }
}

async function route() {
  if (!token()) return showSignIn();
  signIn.hidden = true;
  nav.hidden = false;
  const target = parse(location.hash);
  for (const link of nav.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === target.page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const render = ++renderCount;
  replaceChildren(view, loading());
  view.setAttribute('aria-busy', 'true');
  try {
    // The rollout names its localities itself; the other views need the list.
    if (target.page !== 'rollout') await loadNames();
    const context = {...target, names, navigate};
    const parts = target.page === 'locality' ? await renderLocality(view, context) :
      target.page === 'overdue' ? await renderOverdue(view, context) : await renderRollout(view, context);
    if (render !== renderCount) return;  // a later navigation won
    replaceChildren(view, parts);
    document.title = `${view.querySelector('h1')?.textContent || 'Cầu Nối'} · Cầu Nối`;
    view.dataset.page = target.page;
  } catch (error) {
    if (render !== renderCount) return;
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
      setToken('');
      return showSignIn(explain(error));
    }
    // A fault of the page itself is reported where its developers look.
    if (!(error instanceof ApiError)) console.error(error);
    replaceChildren(view, failure(explain(error)));
  } finally {
    if (render === renderCount) view.setAttribute('aria-busy', 'false');
  }
}

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const candidate = tokenInput.value.trim();
  if (!candidate) {
    signInError.textContent = 'Vui lòng nhập mã truy cập.';
    return;
  }
  signInError.textContent = 'Đang kiểm tra…';
  try {
    // Any read tells whether the gateway knows the token.
    await call('caunoi.v1.OrganizationService/ListLocalities', {pageSize: 1}, candidate);
  } catch (error) {
    signInError.textContent = explain(error);
    tokenInput.select();
    return;
  }
  setToken(candidate);
  tokenInput.value = '';
  signInError.textContent = '';
  route();
  document.getElementById('main').focus();
});

document.getElementById('sign-out').addEventListener('click', () => {
  setToken('');
  names.clear();
  showSignIn('Đã đăng xuất.');
});

window.addEventListener('hashchange', route);
route();
