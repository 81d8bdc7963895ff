/**
 * The horizontal menu bar (S13): Dashboard, Contacts, Tasks, Settings; the profile name and Lock on
 * the right. Links are real hash links so the browser's own keyboard handling and history work.
 */
import { useShallow } from 'zustand/react/shallow';
import { useState } from 'react';
import type { ApiError } from '../lib/api-types';
import { useStore } from '../store/store';
import { hashOfRoute, type Route } from '../store/ui-slice';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

const ITEMS: readonly { route: Route; label: string }[] = [
  { route: 'dashboard', label: strings.menu.dashboard },
  { route: 'contacts', label: strings.menu.contacts },
  { route: 'tasks', label: strings.menu.tasks },
  { route: 'settings', label: strings.menu.settings },
];

export function MenuBar() {
  const { route, profileName, lock } = useStore(
    useShallow((s) => ({ route: s.route, profileName: s.session?.profileName ?? '', lock: s.lock })),
  );
  const [error, setError] = useState<ApiError | undefined>();
  const doLock = async () => setError(await lock());
  return (
    <header className="menu-bar">
      <span className="brand">{strings.appName}</span>
      <nav aria-label={strings.menu.label}>
        <ul className="menu-items">
          {ITEMS.map((item) => (
            <li key={item.route}>
              <a
                href={hashOfRoute(item.route)}
                className="menu-item"
                data-testid={`menu-${item.route}`}
                aria-current={route === item.route ? 'page' : undefined}
              >
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="menu-right">
        <span data-testid="profile-name-label">{strings.menu.signedInAs(profileName)}</span>
        <button type="button" className="button" data-testid="lock-button" onClick={doLock}>
          {strings.menu.lock}
        </button>
      </div>
      <ErrorMessage error={error} onRetry={doLock} />
    </header>
  );
}
