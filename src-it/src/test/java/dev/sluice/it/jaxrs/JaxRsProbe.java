package dev.sluice.it.jaxrs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** What the test resources saw and did; reset before each test. The suite runs its tests one at a time. */
final class JaxRsProbe {

    static volatile CountDownLatch release = new CountDownLatch(0);
    static volatile CountDownLatch started = new CountDownLatch(0);
    static final AtomicInteger running = new AtomicInteger();
    static final AtomicInteger maxRunning = new AtomicInteger();
    static final AtomicInteger interrupted = new AtomicInteger();
    static final AtomicInteger lateReturns = new AtomicInteger();
    static final AtomicInteger reached = new AtomicInteger();
    static volatile String voidThread;
    static volatile long voidFinishedNanos;
    /** What a late {@code AsyncResponse.resume} returned. */
    static volatile CompletableFuture<Boolean> lateResume = new CompletableFuture<>();

    private JaxRsProbe() {
    }

    static void reset(int expectedStarts) {
        release = new CountDownLatch(1);
        started = new CountDownLatch(expectedStarts);
        running.set(0);
        maxRunning.set(0);
        interrupted.set(0);
        lateReturns.set(0);
        reached.set(0);
        voidThread = null;
        voidFinishedNanos = 0;
        lateResume = new CompletableFuture<>();
    }

    static void enter() {
        int now = running.incrementAndGet();
        maxRunning.accumulateAndGet(now, Math::max);
        started.countDown();
    }

    static void exit() {
        running.decrementAndGet();
    }
}
