import { createApp } from 'vue';
import '@clink-ai/clink-js/element';
import App from './App.vue';

window.__log = [];
window.addEventListener('unhandledrejection', (e) => window.__log.push({ unhandled: String(e.reason) }));
createApp(App).mount('#app');
