/**
 * Toasts for the server's `notification` pushes and the "… job created" messages (S7–S10). One
 * toast per action (the store counts like events into one), a polite live region so screen readers
 * announce them without interrupting; success and information fade by themselves, errors stay with
 * a Retry when there is something to retry. The stack sits in the bottom-left corner, away from the
 * dialog buttons (bottom right) and the toolbar; a modal dialog sits above it in the top layer.
 */
import { useEffect } from 'react';
import { useStore } from '../store/store';
import type { Toast } from '../store/notifications-slice';
import { strings } from '../strings';
import { hashOfJob } from '../store/ui-slice';

/** How long a toast stays; errors stay until dismissed. */
export const TOAST_MS = 8000;

export function Toasts() {
  const toasts = useStore((s) => s.toasts);
  return (
    <div
      className="toasts"
      role="status"
      aria-live="polite"
      aria-label={strings.toasts.region}
      data-testid="toasts"
    >
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} />
      ))}
    </div>
  );
}

function ToastItem({ toast }: { readonly toast: Toast }) {
  const dismiss = useStore((s) => s.dismissToast);
  useEffect(() => {
    if (toast.kind === 'error') return;
    const timer = setTimeout(() => dismiss(toast.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast, dismiss]);
  return (
    <div
      className={`toast toast-${toast.kind}`}
      data-testid="toast"
      data-kind={toast.kind}
      data-count={toast.count}
    >
      <div>
        <strong className="toast-title">{toast.title}</strong>
        {toast.body ? <p className="toast-body">{toast.body}</p> : null}
        {toast.count > 1 ? (
          <p className="toast-body muted" data-testid="toast-more">
            {strings.toasts.more(toast.count - 1)}
          </p>
        ) : null}
        {toast.retry ? (
          <button
            type="button"
            className="button"
            data-testid="toast-retry"
            onClick={() => {
              dismiss(toast.id);
              toast.retry?.();
            }}
          >
            {strings.retry}
          </button>
        ) : null}
        {toast.jobId ? (
          <a className="toast-link" href={hashOfJob(toast.jobId)} data-testid="toast-job-link">
            {strings.taskResults.showJob}
          </a>
        ) : null}
      </div>
      <button
        type="button"
        className="button button-quiet"
        aria-label={strings.toasts.dismiss}
        onClick={() => dismiss(toast.id)}
      >
        ×
      </button>
    </div>
  );
}
