/**
 * Renderer entry: uses the preload's window.contactsBackup in Electron, or installs the WebSocket
 * shim in a browser (the loopback web host), binds it to the store once, and renders the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installWebShim } from '../web-shim';
import { App } from './components/app';
import { bindApi } from './store/bind-api';
import { useStore } from './store/store';
import './styles.css';

const shim = installWebShim();
if (shim) {
  let wasLost = false;
  useStore.getState().setRetryConnection(() => shim.retryNow());
  shim.onStatus((status) => {
    // The host refuses this page (restarted with a new token, or its access cookie is gone): say
    // that this address is no longer valid and how to open the new one; retrying cannot help.
    if (status === 'unauthorised') {
      useStore.getState().setConnection('token-invalid');
      return;
    }
    if (status === 'reconnecting') {
      wasLost = true;
      useStore.getState().setConnection('reconnecting');
    } else if (status === 'open') {
      useStore.getState().setConnection('connected');
      // Pushes sent while the socket was down are gone: read the state again.
      if (wasLost) {
        wasLost = false;
        const state = useStore.getState();
        void state.loadStatus();
        if (state.session) {
          void state.loadAccounts();
          void state.loadTasks();
          void state.loadList();
        }
      }
    }
  });
  window.addEventListener('pagehide', () => shim.close());
}

if (window.contactsBackup) bindApi(window.contactsBackup);

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
