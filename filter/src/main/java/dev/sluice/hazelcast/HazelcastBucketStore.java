package dev.sluice.hazelcast;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.map.IMap;

import dev.sluice.core.BucketStore;
import dev.sluice.core.ConfigurationException;
import dev.sluice.core.Policy;
import dev.sluice.core.StoreUnavailableException;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;

/**
 * Buckets in a Hazelcast {@code IMap}, one entry per key, changed atomically on the key's owner by
 * Bucket4j's entry processors and copied synchronously to one backup, so the admitted count holds
 * across every instance of the application and survives the loss of a member. An entry expires
 * once idle for longer than its bucket takes to refill fully, plus {@link #KEEP_AFTER_REFILL}
 * (Hazelcast's TTLs are whole seconds and may fire early), and Hazelcast evicts the least recently
 * used entries beyond the map's size per member ({@code sluice.hazelcast.max-keys} on the members
 * Sluice configures); a bucket that comes back after either is full.
 *
 * <p>Every grid call has a deadline, the configured timeout (Bucket4j's request timeout is ignored
 * by its entry-processor proxy manager), enforced by {@link DeadlineProxyManager}: on a member the
 * caller's own thread sends the call and waits for Hazelcast's answer; a client's calls run on the
 * store's own threads ({@code sluice-grid-N}, started on demand and reused; a call stuck in an
 * unreachable grid holds only its own). The store does not use Bucket4j's asynchronous proxy: its
 * completions run on Hazelcast's default async executor, which starts a new thread for every
 * callback when the common fork-join pool has a single thread, as on 2-core machines. A timeout or
 * any failure of the grid becomes a {@link StoreUnavailableException}, for the engine's fault
 * mode. {@link #close()} stops the store's threads and shuts down the member or client it started,
 * if any.
 *
 * <p>Thread-safe.
 */
final class HazelcastBucketStore implements BucketStore {

    static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(5);

    private static final Logger LOG = System.getLogger(HazelcastBucketStore.class.getName());
    private static final long CLIENT_CONNECT_WAIT_SECONDS = 5;
    private static final long WARM_UP_SECONDS = 10;
    private static final long IDLE_THREAD_SECONDS = 30;

    private final HazelcastInstance instance;
    private final boolean owned;
    private final ProxyManager<String> buckets;
    private final ProxyManager<String> warmUp;
    private final ThreadPoolExecutor calls;
    private final Duration timeout;

    HazelcastBucketStore(HazelcastInstance instance, boolean owned, String map, Duration timeout, TimeMeter clock) {
        if (!clock.isWallClockBased()) {
            throw new IllegalArgumentException("buckets shared across JVMs need a wall-clock based clock, not " + clock);
        }
        this.instance = requireNonNull(instance, "instance");
        this.owned = owned;
        this.timeout = requireNonNull(timeout, "timeout");
        AtomicInteger threads = new AtomicInteger();
        this.calls = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "sluice-grid-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        ClientSideConfig config = ClientSideConfig.getDefault()
                .withClientClock(clock)
                .withExpirationAfterWriteStrategy(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL));
        IMap<String, byte[]> buckets = instance.getMap(map);
        this.buckets = new DeadlineProxyManager(buckets, config, calls, timeout.toNanos());
        this.warmUp = new DeadlineProxyManager(buckets, config, calls, TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS));
    }

    /**
     * Opens the store the settings describe: over a member or client it starts, or over the
     * application's {@code provided} instance.
     *
     * @throws ConfigurationException if the settings or the provided instance do not fit
     */
    static HazelcastBucketStore open(HazelcastSettings settings, TimeMeter clock, Object provided) {
        if (settings.mode() == HazelcastSettings.Mode.PROVIDED) {
            HazelcastInstance instance = providedInstance(provided);
            warnIfUnbounded(instance, settings.map());
            return new HazelcastBucketStore(instance, false, settings.map(), settings.timeout(), clock).warmUp();
        }
        if (provided != null) {
            throw new ConfigurationException("sluice.hazelcast.mode", settings.mode().name().toLowerCase(Locale.ROOT),
                    "the application handed Sluice a HazelcastInstance, which only mode provided uses; "
                            + "set sluice.hazelcast.mode=provided");
        }
        HazelcastInstance started = settings.mode() == HazelcastSettings.Mode.EMBEDDED
                ? Hazelcast.newHazelcastInstance(HazelcastConfigs.member(settings))
                : startClient(HazelcastConfigs.client(settings));
        try {
            return new HazelcastBucketStore(started, true, settings.map(), settings.timeout(), clock).warmUp();
        } catch (RuntimeException e) {
            started.shutdown();
            throw e;
        }
    }

    private static HazelcastInstance providedInstance(Object provided) {
        if (!(provided instanceof HazelcastInstance instance)) {
            throw new ConfigurationException("sluice.hazelcast.mode", "provided",
                    "needs the application's HazelcastInstance, in the servlet context attribute dev.sluice.hazelcast.instance "
                            + "or through Sluice.Builder.hazelcastInstance; "
                            + (provided == null ? "none was given" : "found a " + provided.getClass().getName()));
        }
        if (!SluiceHazelcast.hasSerializers(instance.getConfig().getSerializationConfig())) {
            throw new ConfigurationException("sluice.hazelcast.mode", "provided",
                    "the HazelcastInstance '" + instance.getName() + "' lacks Bucket4j's serializers; call "
                            + "SluiceHazelcast.registerSerializers(config.getSerializationConfig()) before starting it, "
                            + "on every member and client of its cluster");
        }
        return instance;
    }

    /**
     * Sluice leaves a provided instance as the application configured it, so it can only say when
     * the bucket map there has no eviction. A client cannot read its cluster's map configuration.
     */
    private static void warnIfUnbounded(HazelcastInstance instance, String map) {
        if (instance.getLocalEndpoint() instanceof Member
                && instance.getConfig().findMapConfig(map).getEvictionConfig().getEvictionPolicy() == EvictionPolicy.NONE) {
            LOG.log(Level.WARNING, "Sluice's bucket map '" + map + "' on the provided HazelcastInstance '" + instance.getName()
                    + "' has no eviction, so only expiry bounds it and a spray of distinct keys can fill the member's memory; "
                    + "configure eviction for that map (LRU, max-size-policy PER_NODE) on every member of the cluster");
        }
    }

    /**
     * Starts a client and waits a little for its first connection, so that a healthy start does not
     * begin in the fault mode; a cluster still away after that is the fault mode's business.
     */
    static HazelcastInstance startClient(ClientConfig config) {
        CountDownLatch connected = new CountDownLatch(1);
        config.addListenerConfig(new ListenerConfig((LifecycleListener) event -> {
            if (event.getState() == LifecycleState.CLIENT_CONNECTED) {
                connected.countDown();
            }
        }));
        HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
        try {
            if (!connected.await(CLIENT_CONNECT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "Sluice's Hazelcast client has not reached cluster '" + config.getClusterName()
                        + "' within " + CLIENT_CONNECT_WAIT_SECONDS + " s; it keeps trying in the background");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return client;
    }

    /**
     * Runs one harmless bucket operation with a deadline of {@value #WARM_UP_SECONDS} s instead of
     * the requests' deadline: the first operation of a new member assigns the partitions and loads
     * the serializers, which can take longer than a deadline meant for requests. A grid that is not there yet is the fault mode's business.
     */
    private HazelcastBucketStore warmUp() {
        try {
            warmUp.getProxyConfiguration("sluice-warm-up");
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Sluice's Hazelcast warm-up failed; the first requests will tell", e);
        }
        return this;
    }

    @Override
    public ConsumptionProbe tryConsume(String key, Policy policy, long tokens) {
        try {
            return bucket(key, policy).tryConsumeAndReturnRemaining(tokens);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void refund(String key, Policy policy, long tokens) {
        try {
            bucket(key, policy).addTokens(tokens);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /**
     * A proxy is only a key and a configuration: nothing to cache. The map key is the policy's name,
     * which has no {@code |}, then {@code |} and the key within the policy. The configuration builds a
     * missing bucket, and replaces a live bucket's when the policy's version is higher than the one
     * the bucket was built with (Bucket4j's implicit replacement, in the same entry processor, so
     * it costs no extra round trip); tokens are kept as they are, capped at the new capacity.
     */
    private BucketProxy bucket(String key, Policy policy) {
        return buckets.builder()
                .withImplicitConfigurationReplacement(policy.configurationVersion(), TokensInheritanceStrategy.AS_IS)
                .build(policy.name() + '|' + key, policy::bucketConfiguration);
    }

    private StoreUnavailableException unavailable(Throwable cause) {
        for (Throwable reason = cause; reason != null; reason = reason.getCause()) {
            if (reason instanceof TimeoutException) {
                return new StoreUnavailableException("Hazelcast did not answer within " + timeout.toMillis() + " ms", null);
            }
        }
        return new StoreUnavailableException("Hazelcast failed: " + cause, cause);
    }

    /** Shuts down the member or client this store started; a provided instance is left running. */
    @Override
    public void close() {
        calls.shutdownNow();
        if (owned) {
            try {
                instance.shutdown();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Sluice's Hazelcast instance '" + instance.getName() + "' failed to shut down", e);
            }
        }
    }
}
