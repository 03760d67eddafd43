package dev.sluice.servlet;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Collection;

import dev.sluice.core.IsolatedTask;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The response as the delegate of an {@link IsolatingServlet} sees it: every change and every write
 * runs under the exchange's guard and is dropped once the exchange has ended, so a task that ran past
 * its deadline can neither spoil the 503 nor write to a connection the container has reused.
 */
final class GuardedResponse extends HttpServletResponseWrapper {

    private final IsolatedExchange exchange;
    private ServletOutputStream output;
    private PrintWriter writer;

    GuardedResponse(HttpServletResponse response, IsolatedExchange exchange) {
        super(response);
        this.exchange = exchange;
    }

    private HttpServletResponse raw() {
        return (HttpServletResponse) getResponse();
    }

    @Override
    public synchronized ServletOutputStream getOutputStream() throws IOException {
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called");
        }
        if (output == null) {
            // Once the exchange has ended the stream stays null: every write to it is dropped unseen.
            ServletOutputStream[] real = new ServletOutputStream[1];
            exchange.whileOpen(() -> real[0] = raw().getOutputStream());
            output = new GuardedOutputStream(real[0]);
        }
        return output;
    }

    @Override
    public synchronized PrintWriter getWriter() throws IOException {
        if (output != null) {
            throw new IllegalStateException("getOutputStream() has already been called");
        }
        if (writer == null) {
            PrintWriter[] real = new PrintWriter[1];
            exchange.whileOpen(() -> real[0] = raw().getWriter());
            writer = new PrintWriter(new GuardedWriter(real[0]));
        }
        return writer;
    }

    @Override
    public void setStatus(int status) {
        guard(() -> raw().setStatus(status));
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        exchange.whileOpen(() -> raw().sendError(status, message));
    }

    @Override
    public void sendError(int status) throws IOException {
        exchange.whileOpen(() -> raw().sendError(status));
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        exchange.whileOpen(() -> raw().sendRedirect(location));
    }

    @Override
    public void setHeader(String name, String value) {
        guard(() -> raw().setHeader(name, value));
    }

    @Override
    public void addHeader(String name, String value) {
        guard(() -> raw().addHeader(name, value));
    }

    @Override
    public void setIntHeader(String name, int value) {
        guard(() -> raw().setIntHeader(name, value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        guard(() -> raw().addIntHeader(name, value));
    }

    @Override
    public void setDateHeader(String name, long date) {
        guard(() -> raw().setDateHeader(name, date));
    }

    @Override
    public void addDateHeader(String name, long date) {
        guard(() -> raw().addDateHeader(name, date));
    }

    @Override
    public void setContentType(String type) {
        guard(() -> raw().setContentType(type));
    }

    @Override
    public void setCharacterEncoding(String charset) {
        guard(() -> raw().setCharacterEncoding(charset));
    }

    @Override
    public void setContentLength(int length) {
        guard(() -> raw().setContentLength(length));
    }

    @Override
    public void setContentLengthLong(long length) {
        guard(() -> raw().setContentLengthLong(length));
    }

    @Override
    public void setBufferSize(int size) {
        guard(() -> raw().setBufferSize(size));
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        exchange.whileOpen(() -> raw().flushBuffer());
    }

    @Override
    public void reset() {
        guard(() -> raw().reset());
    }

    @Override
    public void resetBuffer() {
        guard(() -> raw().resetBuffer());
    }

    @Override
    public int getStatus() {
        return raw().getStatus();
    }

    @Override
    public Collection<String> getHeaderNames() {
        return raw().getHeaderNames();
    }

    private void guard(IsolatedTask.GuardedAction change) {
        try {
            exchange.whileOpen(change);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes through to the container's writer while the exchange is open; drops everything after.
     * {@code out} is {@code null} when the writer was asked for after the end: nothing reaches it.
     */
    private final class GuardedWriter extends Writer {
        private final PrintWriter out;

        GuardedWriter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(char[] chars, int offset, int length) throws IOException {
            exchange.whileOpen(() -> out.write(chars, offset, length));
        }

        @Override
        public void write(String text, int offset, int length) throws IOException {
            exchange.whileOpen(() -> out.write(text, offset, length));
        }

        @Override
        public void flush() throws IOException {
            exchange.whileOpen(() -> out.flush());
        }

        @Override
        public void close() throws IOException {
            exchange.whileOpen(() -> out.close());
        }
    }

    /** Writes through to the container's stream while the exchange is open; drops everything after. {@code out} as above. */
    private final class GuardedOutputStream extends ServletOutputStream {
        private final ServletOutputStream out;

        GuardedOutputStream(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            exchange.whileOpen(() -> out.write(b));
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            exchange.whileOpen(() -> out.write(bytes, offset, length));
        }

        @Override
        public void flush() throws IOException {
            exchange.whileOpen(() -> out.flush());
        }

        @Override
        public void close() throws IOException {
            exchange.whileOpen(() -> out.close());
        }

        @Override
        public boolean isReady() {
            return out == null || out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            if (out != null) {
                out.setWriteListener(listener);
            }
        }
    }
}
