// Error page (unknown session, bad token…): report the problem to the merchant page when framed.
import { connectToParent } from './frame.js';

const root = document.getElementById('checkout-error');
const channel = connectToParent({ merchantOrigin: root.dataset.merchantOrigin });
channel.post('ready', {});
channel.post('error', { code: root.dataset.code, message: root.dataset.message });
channel.watchHeight();
