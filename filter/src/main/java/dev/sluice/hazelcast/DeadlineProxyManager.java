package dev.sluice.hazelcast;

import static io.github.bucket4j.distributed.serialization.InternalSerializationHelper.deserializeResult;
import static java.util.Objects.requireNonNull;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.proxy.MapProxyImpl;

import io.github.bucket4j.distributed.proxy.AbstractProxyManager;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.Request;
import io.github.bucket4j.grid.hazelcast.HazelcastEntryProcessor;

/**
 * Bucket4j's proxy manager for the bucket map: it sends Bucket4j's own entry processor, as
 * Bucket4j's {@code HazelcastProxyManager} does, but waits for each answer at most {@code timeout}.
 *
 * <p>On a member the calling thread sends the operation and waits on Hazelcast's invocation future
 * itself: no thread hop, and no completion callback (Hazelcast's public asynchronous map methods
 * register one on its default async executor, which starts a thread per callback when the common
 * fork-join pool has a single thread, as on 2 cores). That takes the public
 * {@code executeOnKeyInternal} of Hazelcast's internal member map proxy, which {@code executeOnKey}
 * itself uses (checked against Hazelcast 5.7, the version Sluice is tested with; a Hazelcast whose
 * internals differ is detected at the first call, logged once, and served the other way). Any other
 * map, such as a client's, runs Hazelcast's synchronous call on {@code fallback} and the caller waits
 * for that. A call that misses its deadline keeps running in the grid; only the caller stops
 * waiting.
 *
 * <p>Thread-safe.
 */
final class DeadlineProxyManager extends AbstractProxyManager<String> {

    private static final Logger LOG = System.getLogger(HazelcastBucketStore.class.getName());

    private final IMap<String, byte[]> map;
    /** The member's internal map proxy, or null: a client, or a Hazelcast whose internals differ. */
    private volatile MapProxyImpl<String, byte[]> member;
    private final Executor fallback;
    private final long timeoutNanos;

    DeadlineProxyManager(IMap<String, byte[]> map, ClientSideConfig config, Executor fallback, long timeoutNanos) {
        super(config);
        this.map = requireNonNull(map, "map");
        this.member = memberProxy(map);
        this.fallback = requireNonNull(fallback, "fallback");
        this.timeoutNanos = timeoutNanos;
    }

    /** @throws CompletionException wrapping the {@link TimeoutException}, the interruption or the grid's failure */
    @Override
    protected <T> CommandResult<T> execute(String key, Request<T> request) {
        HazelcastEntryProcessor<String, T> processor = new HazelcastEntryProcessor<>(request);
        try {
            byte[] answer = null;
            MapProxyImpl<String, byte[]> local = member;
            if (local != null) {
                try {
                    Future<Data> call = local.executeOnKeyInternal(key, processor);
                    answer = local.getNodeEngine().toObject(call.get(timeoutNanos, TimeUnit.NANOSECONDS));
                } catch (LinkageError e) {
                    member = null;
                    LOG.log(Level.WARNING, "Sluice: this Hazelcast's internal map proxy differs from 5.7's;"
                            + " grid calls now wait on Sluice's own threads", e);
                    local = null;
                }
            }
            if (local == null) {
                answer = CompletableFuture.supplyAsync(() -> map.executeOnKey(key, processor), fallback)
                        .get(timeoutNanos, TimeUnit.NANOSECONDS);
            }
            return deserializeResult(answer, request.getBackwardCompatibilityVersion());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new CompletionException(e);
        }
    }

    /** The member's internal proxy when this Hazelcast has the one Sluice was built against; else null. */
    private static MapProxyImpl<String, byte[]> memberProxy(IMap<String, byte[]> map) {
        try {
            return map instanceof MapProxyImpl<String, byte[]> proxy ? proxy : null;
        } catch (LinkageError e) {
            return null;
        }
    }

    @Override
    protected <T> CompletableFuture<CommandResult<T>> executeAsync(String key, Request<T> request) {
        throw new UnsupportedOperationException("Sluice uses the synchronous proxy only");
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        throw new UnsupportedOperationException("Sluice uses the synchronous proxy only");
    }

    @Override
    public void removeProxy(String key) {
        map.delete(key);
    }

    @Override
    public boolean isAsyncModeSupported() {
        return false;
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
        return true;
    }
}
