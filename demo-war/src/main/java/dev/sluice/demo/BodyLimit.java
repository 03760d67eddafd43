package dev.sluice.demo;

import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * Caps every request body the API reads at {@value #MAX_BYTES} bytes: 413 with a problem body
 * above it. A larger {@code Content-Length} is refused before anything is read; a body without one
 * (chunked) is counted as it is read and refused as soon as it passes the cap, so no more than the
 * cap plus one buffer is ever read. The connection of a refused body is closed. Thread-safe: the count lives in each request's stream.
 */
@Provider
public final class BodyLimit implements ReaderInterceptor {

    /** The most bytes of a body read: 64 KiB, some hundred times an order. */
    static final int MAX_BYTES = 64 * 1024;

    /** Created by the JAX-RS runtime. */
    public BodyLimit() {
        // stateless
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (declaredLength(context.getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH)) > MAX_BYTES) {
            throw tooLarge();
        }
        CountingStream body = new CountingStream(context.getInputStream());
        context.setInputStream(body);
        try {
            return context.proceed();
        } catch (IOException | RuntimeException e) {
            // The reader may have wrapped the stream's exception: the stream knows whether it threw.
            if (body.overLimit) {
                throw tooLarge();
            }
            throw e;
        }
    }

    /** The declared length, or -1 without a valid one (the container refuses an invalid one first). */
    private static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The 413, with {@code Connection: close}: the rest of the body stays unread, so the connection
     * cannot carry another request, and a client must not send one on it.
     */
    private static WebApplicationException tooLarge() {
        Response problem = Problems.of(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                "The body is larger than " + MAX_BYTES + " bytes, the most the shop reads.");
        return new WebApplicationException(Response.fromResponse(problem).header("Connection", "close").build());
    }

    /** The body, failing every read once more than {@link #MAX_BYTES} have been read. */
    private static final class CountingStream extends InputStream {

        private final InputStream in;
        private long count;
        private boolean overLimit;

        CountingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (overLimit) {
                throw new IOException("body over " + MAX_BYTES + " bytes");
            }
            int read = in.read(buffer, offset, length);
            if (read > 0) {
                count += read;
                if (count > MAX_BYTES) {
                    overLimit = true;
                    throw new IOException("body over " + MAX_BYTES + " bytes");
                }
            }
            return read;
        }

        @Override
        public int available() throws IOException {
            return overLimit ? 0 : in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
