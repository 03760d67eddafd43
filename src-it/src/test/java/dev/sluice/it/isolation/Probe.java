package dev.sluice.it.isolation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** What the test servlets saw and did; reset before each test. The suite runs its tests one at a time. */
public final class Probe {

    static volatile CountDownLatch release = new CountDownLatch(0);
    static volatile CountDownLatch started = new CountDownLatch(0);
    static final AtomicInteger running = new AtomicInteger();
    static final AtomicInteger maxRunning = new AtomicInteger();
    static final AtomicInteger interrupted = new AtomicInteger();
    static final AtomicInteger lateWritesDone = new AtomicInteger();
    static final AtomicInteger served = new AtomicInteger();
    static final Map<String, String> seen = new ConcurrentHashMap<>();

    private Probe() {
    }

    static void reset(int expectedStarts) {
        release = new CountDownLatch(1);
        started = new CountDownLatch(expectedStarts);
        running.set(0);
        maxRunning.set(0);
        interrupted.set(0);
        lateWritesDone.set(0);
        served.set(0);
        seen.clear();
    }

    static void enter() {
        int now = running.incrementAndGet();
        maxRunning.accumulateAndGet(now, Math::max);
        started.countDown();
    }

    static void exit() {
        running.decrementAndGet();
        served.incrementAndGet();
    }
}
