// Clink's docs (javascript-sdk-page.txt), "Initialization" with checkoutBaseUrl, verbatim.
import { loadClink } from '@clink-ai/clink-js';

const clink = await loadClink('pk_prod_xxxxxxxxx', {
  checkoutBaseUrl: 'https://checkout.clinkbill.com',
});
