// Hosted return page: hands control back to the merchant.
// Framed (embedded checkout): post `hosted_return` to the merchant page.
// Top level (redirect checkout): go to the merchant's successUrl / cancelUrl.
import { connectToParent } from './frame.js';

const root = document.getElementById('return');
const { state, url, parentOrigin, merchantOrigin } = root.dataset;
const channel = connectToParent({ parentOrigin, merchantOrigin });

if (channel.framed) {
  channel.post('hosted_return', url ? { state, url } : { state });
  channel.watchHeight();
  const text = document.getElementById('return-text');
  if (text) text.textContent = 'You can close this checkout.';
} else if (url) {
  location.replace(url);
}
