/**
 * The waiting state of a sign-in (issue 14, item 2): which service, the sign-in page's address as a
 * link (in case no tab could be opened), and Cancel.
 */
import { useStore } from '../store/store';
import { strings } from '../strings';

export function SignInWaiting() {
  const signIn = useStore((s) => s.signIn);
  const cancelSignIn = useStore((s) => s.cancelSignIn);
  if (!signIn) return null;
  const name = signIn.provider === 'google' ? strings.connect.googleName : strings.connect.microsoftName;
  return (
    <div className="sign-in-waiting" role="status" aria-live="polite" data-testid="sign-in-waiting">
      <h3>{strings.connect.waitingTitle(name)}</h3>
      <p>{strings.connect.waitingBody}</p>
      <div className="row">
        {signIn.url ? (
          <a
            className="button"
            href={signIn.url}
            target="_blank"
            rel="noopener noreferrer"
            data-testid="sign-in-link"
          >
            {strings.connect.openAgain}
          </a>
        ) : null}
        <button
          type="button"
          className="button"
          data-testid="sign-in-cancel"
          onClick={() => void cancelSignIn()}
        >
          {strings.connect.cancel}
        </button>
      </div>
    </div>
  );
}
