package io.pushgate.reliability.support;

/**
 * Pacing for load generators and fault schedules (a writer's period, a fault's duration), where
 * a test waits on the clock on purpose; waiting for a condition uses Awaitility instead.
 */
public final class Sleep {

    private Sleep() {
    }

    public static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sleeps until {@code deadlineNanos} ({@link System#nanoTime()}), if it is in the future. */
    public static void until(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            millis(Math.max(1, left / 1_000_000));
        }
    }
}
