/**
 * Toasts: the server's `notification` pushes and the renderer's own "… job created" messages. The
 * same event arriving twice within a few seconds (our toast and the server's) is shown once.
 */
import type { NotificationView } from '../lib/api-types';
import type { SliceCreator } from './store-types';

export interface Toast extends NotificationView {
  readonly id: number;
  readonly createdAt: number;
}

export interface NotificationsSlice {
  toasts: Toast[];
  pushToast(notification: NotificationView, now?: number): number | undefined;
  dismissToast(id: number): void;
}

/** The same title and body within this window are one event seen from two sides. */
export const DUPLICATE_WINDOW_MS = 3000;
/** Older toasts are dropped so the stack never covers the screen. */
export const MAX_TOASTS = 5;

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
    const toast: Toast = { ...notification, id: nextToastId++, createdAt: now };
    set((state) => ({ toasts: [...state.toasts, toast].slice(-MAX_TOASTS) }));
    return toast.id;
  },

  dismissToast(id) {
    set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
  },
});
