// The account page is rendered by the shop from its records; this keeps it current while it is
// open: when a verified webhook changes the records (a plan activated, a cancel at period end), the
// page is rendered again. One timer, only while the page is visible.
const POLL_MS = 1500;
const page = document.getElementById('account-page');
let timer = null;

async function check() {
  timer = null;
  try {
    const response = await fetch('/api/account', { cache: 'no-store' });
    if (response.ok && (await response.json()).version !== page.dataset.version) {
      location.reload();
      return;
    }
  } catch {
    // The next tick tries again.
  }
  schedule();
}

function schedule() {
  if (timer === null && document.visibilityState === 'visible') timer = setTimeout(check, POLL_MS);
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') schedule();
  else {
    clearTimeout(timer);
    timer = null;
  }
});
schedule();
