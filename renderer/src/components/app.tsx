/**
 * The app shell: asks `app.status`, shows the unlock screen until a profile is unlocked, then the
 * menu bar and the screen of the hash route (`#/` Dashboard, `#/contacts`, `#/tasks` the Task
 * Manager window, `#/settings`). Toasts and the connection banner sit above every screen.
 */
import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store/store';
import { routeFromHash } from '../store/ui-slice';
import { strings } from '../strings';
import { ContactsView } from './contacts-view';
import { Dashboard } from './dashboard';
import { DialogHost } from './dialogs';
import { ErrorMessage } from './error-message';
import { MenuBar } from './menu-bar';
import { SettingsView } from './settings-view';
import { TaskManager } from './task-manager';
import { Toasts } from './toasts';
import { UnlockScreen } from './unlock-screen';
import { RecoveryKeyScreen } from './recovery-key-screen';

export function App() {
  const recoveryKeyShown = useStore((s) => s.recoveryKeyShown);
  const makingRecoveryKey = useStore((s) => s.makingRecoveryKey);
  const { appStatus, statusError, session, route, connection, loadStatus, setRoute } = useStore(
    useShallow((s) => ({
      appStatus: s.appStatus,
      statusError: s.statusError,
      session: s.session,
      route: s.route,
      connection: s.connection,
      loadStatus: s.loadStatus,
      setRoute: s.setRoute,
    })),
  );

  useEffect(() => {
    void loadStatus();
  }, [loadStatus]);

  useEffect(() => {
    const sync = () => setRoute(routeFromHash(window.location.hash));
    sync();
    window.addEventListener('hashchange', sync);
    return () => window.removeEventListener('hashchange', sync);
  }, [setRoute]);

  // After a menu click, move focus to the new screen so keyboard and screen-reader users land in it;
  // not on the first render, where the unlock form's own autofocus wins.
  const shownRoute = useRef(route);
  useEffect(() => {
    if (shownRoute.current === route) return;
    shownRoute.current = route;
    document.querySelector<HTMLElement>('main')?.focus({ preventScroll: true });
  }, [route]);

  let body;
  if (connection === 'reconnecting' || connection === 'token-invalid') {
    // Lost connection is not a lock: no password form while nothing can answer it.
    body = <Disconnected connection={connection} />;
  } else if (!appStatus) {
    body = (
      <main className="page" id="main" tabIndex={-1}>
        {statusError ? (
          <ErrorMessage error={statusError} onRetry={loadStatus} testId="status-error" />
        ) : (
          <p aria-busy="true">{strings.loading}</p>
        )}
      </main>
    );
  } else if (!session || makingRecoveryKey) {
    body = <UnlockScreen status={appStatus} />;
  } else if (recoveryKeyShown) {
    body = <RecoveryKeyScreen recoveryKey={recoveryKeyShown} />;
  } else {
    body = (
      <>
        <MenuBar />
        {route === 'dashboard' ? <Dashboard /> : null}
        {route === 'contacts' ? <ContactsView /> : null}
        {route === 'tasks' ? <TaskManager /> : null}
        {route === 'settings' ? <SettingsView /> : null}
        <DialogHost />
      </>
    );
  }

  return (
    <div className="app" data-testid="app" data-route={route}>
      {/* Not a #main link: the hash is the route, so the skip link moves focus itself. */}
      <button
        type="button"
        className="skip-link"
        onClick={() => document.querySelector<HTMLElement>('main')?.focus()}
      >
        {strings.skipToContent}
      </button>
      {connection === 'no-token' ? (
        <div className="connection-banner" role="alert" data-testid="connection-no-token">
          {strings.connection.noToken}
        </div>
      ) : null}
      {connection === 'reconnecting' ? (
        <div className="connection-banner" role="alert" data-testid="connection-lost">
          {strings.connection.lost}
        </div>
      ) : null}
      {connection === 'token-invalid' ? (
        <div className="connection-banner" role="alert" data-testid="connection-token-invalid">
          {strings.connection.tokenInvalidBanner}
        </div>
      ) : null}
      {body}
      <Toasts />
    </div>
  );
}

/**
 * What the page shows while the host cannot be reached (with Retry) or no longer accepts this
 * page's token (with how to open the new address). The screen behind it comes back on reconnect.
 */
function Disconnected({ connection }: { readonly connection: 'reconnecting' | 'token-invalid' }) {
  const retry = useStore((s) => s.retryConnection);
  const invalid = connection === 'token-invalid';
  return (
    <main
      className="page disconnected"
      id="main"
      tabIndex={-1}
      data-testid="disconnected"
      data-state={connection}
    >
      <section className="panel disconnected-card">
        <h1>{invalid ? strings.connection.tokenInvalidTitle : strings.connection.lostTitle}</h1>
        <p>{invalid ? strings.connection.tokenInvalidBody : strings.connection.lostBody}</p>
        {retry ? (
          <button
            type="button"
            className="button button-primary"
            data-testid="connection-retry"
            onClick={retry}
          >
            {strings.connection.retryNow}
          </button>
        ) : null}
      </section>
    </main>
  );
}
