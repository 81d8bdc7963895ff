/**
 * Toasts: the server's `notification` pushes and the renderer's own "… job created" messages. The
 * same event arriving twice within a few seconds (our toast and the server's) is shown once.
 */
import type { NotificationView } from '../lib/api-types';
import type { SliceCreator } from './store-types';

export interface Toast extends NotificationView {
  readonly id: number;
  readonly createdAt: number;
  /** How many like events this one toast stands for (one Save that created five jobs is one toast). */
  readonly count: number;
  /** An error the user can try again from the toast itself. */
  readonly retry?: () => void;
  /** A summary of the whole action replaced the first event's text: later events add nothing. */
  readonly summarized?: boolean;
}

/** A notification as pushed: the server's, or the renderer's own with a Retry for its errors. */
export type ToastInput = NotificationView & {
  readonly retry?: () => void;
  /** The renderer's own sentence for the whole action ("2 jobs created"): it replaces the count. */
  readonly summary?: boolean;
};

export interface NotificationsSlice {
  toasts: Toast[];
  pushToast(notification: ToastInput, now?: number): number | undefined;
  dismissToast(id: number): void;
  /** Drops the toasts that ask to sign in accounts that are signed in now (`signInOf`). */
  dismissAnsweredSignIns(signedIn: ReadonlySet<string>): void;
}

/** The same title and body within this window are one event seen from two sides. */
export const DUPLICATE_WINDOW_MS = 3000;
/** Older toasts are dropped so the stack never covers the screen. */
export const MAX_TOASTS = 3;
/** A toast with the same title still on screen within this time takes in the new event. */
export const MERGE_WINDOW_MS = 10_000;

let nextToastId = 1;

export const createNotificationsSlice: SliceCreator<NotificationsSlice> = (set, get) => ({
  toasts: [],

  pushToast(notification, now = Date.now()) {
    // The same event seen from two sides (our "… job created" and the server's) has the same title
    // and one body extends the other; a second job's toast has another body and is shown.
    const duplicate = get().toasts.some(
      (toast) =>
        toast.title === notification.title &&
        (toast.body.startsWith(notification.body) || notification.body.startsWith(toast.body)) &&
        now - toast.createdAt < DUPLICATE_WINDOW_MS,
    );
    if (duplicate) {
      // The server's copy names the job: keep that link on the toast already shown.
      if (notification.jobId)
        set((state) => ({
          toasts: state.toasts.map((toast) =>
            toast.title === notification.title && !toast.jobId
              ? { ...toast, jobId: notification.jobId }
              : toast,
          ),
        }));
      return undefined;
    }
    // One action, one toast: further events of the same kind (five "Backup job created" after one
    // Save) are counted into the toast already shown, which keeps its place and its timer restarts.
    const similar = get().toasts.find(
      (toast) =>
        toast.title === notification.title &&
        toast.kind === notification.kind &&
        now - toast.createdAt < MERGE_WINDOW_MS,
    );
    if (similar) {
      set((state) => ({
        toasts: state.toasts.map((toast) =>
          toast.id !== similar.id
            ? toast
            : notification.summary
              ? { ...toast, body: notification.body, count: 1, summarized: true }
              : toast.summarized
                ? toast
                : { ...toast, count: toast.count + 1 },
        ),
      }));
      return similar.id;
    }
    const { summary, ...rest } = notification;
    const toast: Toast = { ...rest, id: nextToastId++, createdAt: now, count: 1, summarized: summary };
    set((state) => ({ toasts: [...state.toasts, toast].slice(-MAX_TOASTS) }));
    return toast.id;
  },

  dismissToast(id) {
    set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
  },

  dismissAnsweredSignIns(signedIn) {
    const { toasts } = get();
    if (!toasts.some((toast) => toast.signInOf && signedIn.has(toast.signInOf))) return;
    set({ toasts: toasts.filter((toast) => !(toast.signInOf && signedIn.has(toast.signInOf))) });
  },
});
